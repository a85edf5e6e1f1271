"""The login limiter on its own, with a controllable clock."""

from __future__ import annotations

from bot.inbox.ratelimit import LoginLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_blocks_after_five_failures_and_frees_after_the_window():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(4):
        limiter.failed("katrin", "10.0.0.1")
    assert not limiter.blocked("katrin", "10.0.0.2")
    limiter.failed("katrin", "10.0.0.1")
    assert limiter.blocked("katrin", "10.0.0.2")  # by username, from anywhere
    assert limiter.blocked("jonas", "10.0.0.1")  # by address, for anyone
    assert not limiter.blocked("jonas", "10.0.0.2")
    clock.now += 15 * 60 + 1
    assert not limiter.blocked("katrin", "10.0.0.1")


def test_failures_older_than_the_window_do_not_count():
    clock = Clock()
    limiter = LoginLimiter(clock=clock)
    for _ in range(3):
        limiter.failed("katrin", "10.0.0.1")
    clock.now += 14 * 60
    limiter.failed("katrin", "10.0.0.1")
    limiter.failed("katrin", "10.0.0.1")
    assert limiter.blocked("katrin", "10.0.0.1")
    clock.now += 2 * 60  # the first three are now older than 15 minutes
    assert not limiter.blocked("katrin", "10.0.0.1")
