"""CSRF tokens: every POST form carries a hidden ``csrf`` field that must match the expected token.

Logged in, the expected token is the session's (stored with it). Before login there is no session,
so the login form uses a double-submit token: a random value in a cookie of its own and in the
form; a page on another site can neither read the cookie nor set it.
"""

from __future__ import annotations

import hmac
import secrets

FIELD = "csrf"
PRELOGIN_COOKIE = "kim_inbox_login"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def matches(expected: str | None, given: object) -> bool:
    """True when both tokens are present and equal (compared in constant time)."""
    if not expected or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
