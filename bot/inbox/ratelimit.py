"""Failed inbox logins, counted per username and per client address, in this process's memory.

After ``max_failures`` failures within ``window_s`` seconds further attempts for that username or
from that address are refused until the oldest failure is older than the window. Kept in memory
on purpose (no table, no extra service): a restart forgets the counts, and several web processes
would each count on their own. Behind a reverse proxy every client has the proxy's address, so
the per-address limit then counts all clients together unless the proxy's client address is
passed to aiohttp.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

MAX_KEYS = 10_000  # beyond this many tracked names/addresses, forget the ones without recent failures


class LoginLimiter:
    def __init__(
        self, max_failures: int = 5, window_s: float = 15 * 60, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str, now: float) -> int:
        failures = self._failures.get(key)
        if failures is None:
            return 0
        while failures and now - failures[0] > self.window_s:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return 0
        return len(failures)

    def blocked(self, username: str, address: str) -> bool:
        now = self._clock()
        keys = (f"user:{username}", f"addr:{address}")
        return any(self._recent(key, now) >= self.max_failures for key in keys)

    def failed(self, username: str, address: str) -> None:
        now = self._clock()
        if len(self._failures) >= MAX_KEYS:
            for key in list(self._failures):
                self._recent(key, now)
        for key in (f"user:{username}", f"addr:{address}"):
            self._failures.setdefault(key, deque(maxlen=self.max_failures)).append(now)

    def succeeded(self, username: str) -> None:
        """A right password clears the username's failures (not the address's: one known account
        must not reset the count for guessing others)."""
        self._failures.pop(f"user:{username}", None)
