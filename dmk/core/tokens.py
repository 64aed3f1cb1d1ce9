"""Secret link tokens (invitation links, calendar-feed URLs): made here, stored only hashed.

A token is ``secrets.token_urlsafe(32)``: 43 URL-safe characters carrying 256 random bits.
The database keeps only its SHA-256 hex digest; with 256 random bits no salt is needed to
keep a token from being guessed back from its hash (issue 4 item 7: no secrets at rest).
"""

from __future__ import annotations

import hashlib
import secrets


def hash_token(token: str) -> str:
    """SHA-256 hex digest (64 lower-case hex characters) of ``token`` (UTF-8)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh token and its hash: ``(token, hash_token(token))``."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)
