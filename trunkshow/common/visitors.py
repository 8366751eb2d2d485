"""The anonymous visitor's id: one per browser, the key analytics and privacy requests share.

A browser gets a random id in the `ts_vid` cookie on its first request; an API
client with no cookies sends an id it made as `X-Visitor-Id` (at most 64
letters, digits and `._:-`). The id is never derived from the person, so it
holds nothing until events are stored under it. Anything else in the cookie
or header (too long, other characters) is ignored and a new id issued, so a
forged value cannot reach a query.

An id a client made may be short and guessable, so whatever hands data back
on the strength of the id alone (a privacy export) asks for an unguessable
one: `strong_visitor_id`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

VISITOR_COOKIE = "ts_vid"
VISITOR_HEADER = "HTTP_X_VISITOR_ID"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 3600
VISITOR_ID_MAX = 64
# As long as the 32 hex digits the site issues (128 bits when random).
STRONG_VISITOR_ID_MIN = 32
_VISITOR_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def valid_visitor_id(value: str | None) -> str | None:
    """Return the value as a visitor id when it has the id's shape, else None."""
    if not value:
        return None
    candidate = value.strip()
    return candidate if _VISITOR_ID.match(candidate) else None


def strong_visitor_id(value: str | None) -> str | None:
    """Return the value when it is a visitor id long enough not to be guessed, else None."""
    candidate = valid_visitor_id(value)
    return candidate if candidate and len(candidate) >= STRONG_VISITOR_ID_MIN else None


def visitor_id(request: HttpRequest) -> str:
    """Return the request's visitor id (set by VisitorMiddleware, or read now)."""
    known = getattr(request, "visitor_id", None)
    if known:
        return str(known)
    return (
        valid_visitor_id(request.META.get(VISITOR_HEADER))
        or valid_visitor_id(request.COOKIES.get(VISITOR_COOKIE))
        or uuid.uuid4().hex
    )


class VisitorMiddleware:
    """Attach `request.visitor_id` and give a new browser its cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from_cookie = valid_visitor_id(request.COOKIES.get(VISITOR_COOKIE))
        from_header = valid_visitor_id(request.META.get(VISITOR_HEADER))
        request.visitor_id = from_header or from_cookie or uuid.uuid4().hex  # type: ignore[attr-defined]
        response = self.get_response(request)
        if not from_cookie and not from_header:
            response.set_cookie(
                VISITOR_COOKIE,
                request.visitor_id,  # type: ignore[attr-defined]
                max_age=VISITOR_COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
