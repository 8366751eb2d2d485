"""HTTP hygiene in one place: JSON-only API bodies, no caching of personal answers,
and the order token read from an Authorization header.

- A body sent to the JSON API that is not `application/json` (or `...+json`)
  is a 415: a browser sends text/plain, form and multipart bodies to another
  origin without asking first (no CORS preflight), so accepting them as JSON
  would let any page post to the API in a shopper's name.
- Personal answers and pages (orders, quiz results, carts, checkout, privacy)
  are `Cache-Control: private, no-store`: a name, an address or an e-mail must
  not stay in a shared proxy or in the back/forward cache of a shared phone.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import orjson
from django.http import HttpRequest, HttpResponse

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})

PERSONAL_PATHS = re.compile(
    r"^(?:/api/v1/(?:orders|quiz-results|carts|privacy)(?:/|$)"
    r"|/api/v1/quizzes/[^/]+/result/?$"
    r"|/[a-z]{2}(?:-[a-z]+)?/(?:orders|quiz/result|cart|checkout|privacy)/)"
)
NO_STORE = "private, no-store"
API_NAMESPACE = "api-v1"


def is_json_media_type(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def bearer_token(request: HttpRequest) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()[:128]


def _unsupported(content_type: str) -> HttpResponse:
    from trunkshow.common.api_errors import ApiError

    shown = content_type.split(";", 1)[0].strip()[:80] or "none"
    error = ApiError(
        415,
        "unsupported_media_type",
        f"The API takes JSON bodies only (Content-Type: application/json), not {shown}.",
    )
    response = HttpResponse(orjson.dumps(error.body()), status=415, content_type="application/json")
    response["Accept"] = "application/json"
    return response


class HttpHygieneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if PERSONAL_PATHS.match(request.path_info):
            response["Cache-Control"] = NO_STORE
        return response

    def process_view(
        self, request: HttpRequest, view: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        """415 for a non-JSON body sent to an operation of the API (an unknown
        path under /api/ stays a 404)."""
        match = request.resolver_match
        if match is None or API_NAMESPACE not in match.namespaces:
            return None
        if request.method not in BODY_METHODS:
            return None
        content_type = request.META.get("CONTENT_TYPE", "")
        length = str(request.META.get("CONTENT_LENGTH") or "0")
        has_body = (not length.isdigit() or int(length) > 0) or bool(
            request.META.get("HTTP_TRANSFER_ENCODING")
        )
        # An empty body says nothing to misread, whatever type a client names
        # (a form library's default): only a body that is there must be JSON.
        if has_body and not is_json_media_type(content_type):
            return _unsupported(content_type)
        return None
