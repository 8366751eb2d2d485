"""Unguessable ids that sort by creation time.

A random id lands on a random page of its unique index, so every new row
dirties one more index page. These ids start with the time in milliseconds,
so new rows go to the end of the index where the previous ones went, and end
with enough randomness to stay unguessable: a shared link must not lead to
its neighbours.
"""

from __future__ import annotations

import secrets
import time
import uuid

# Crockford's base32 in ASCII order: a longer time always sorts later.
_SORTABLE = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _time_prefix(milliseconds: int) -> str:
    # 10 characters of 5 bits: 50 bits of milliseconds, enough until the year 37,000.
    return "".join(_SORTABLE[(milliseconds >> shift) & 31] for shift in range(45, -5, -5))


def sortable_token(random_bytes: int = 16) -> str:
    """Time prefix + `random_bytes` of randomness (URL-safe; 16 bytes = 128 bits, 32 characters)."""
    return _time_prefix(time.time_ns() // 1_000_000) + secrets.token_urlsafe(random_bytes)


def sortable_uuid() -> uuid.UUID:
    """A version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, 74 random bits."""
    value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 9562 variant
    return uuid.UUID(int=value)
