"""Who a request comes from, as keys a per-client count can use.

The address is the rate limits' one rule (the peer's, or the first hop a
trusted proxy vouches for), so a count per client agrees with the limits.
"""

from __future__ import annotations

from django.http import HttpRequest

from trunkshow.common.ratelimits import client_ip


def client_keys(request: HttpRequest) -> list[str]:
    """The request's address, and its session when it has one."""
    keys = [f"addr:{client_ip(request)[:64]}"]
    session = getattr(request, "session", None)
    session_key = getattr(session, "session_key", None)
    if session_key:
        keys.append(f"session:{session_key}")
    return keys
