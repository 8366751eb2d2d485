"""Who a request comes from, as keys a per-client count can use.

The address is the peer's (REMOTE_ADDR). Issue 23's rate limits bring the
one rule for a client behind a trusted proxy; counts here should use it
once it is in (see the issue note).
"""

from __future__ import annotations

from django.http import HttpRequest


def client_keys(request: HttpRequest) -> list[str]:
    """The request's address, and its session when it has one."""
    keys = [f"addr:{request.META.get('REMOTE_ADDR', '')[:64]}"]
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None)
    if session_key:
        keys.append(f"session:{session_key}")
    return keys
