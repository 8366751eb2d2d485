"""A dependency that is down answers 503 with Retry-After, never a 500 or a hung request.

PostgreSQL restarting, its pool out of connections past DATABASE_POOL_TIMEOUT,
SQLite's write lock past its busy timeout, Redis restarting: the request
is refused at once with a retry hint, and the next one after the dependency
is back succeeds by itself (Django reopens connections; the pool checks
each one it hands out; the Redis client reconnects).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import defaults

# Seconds a client should wait: a restart of PostgreSQL or Redis takes a few.
RETRY_AFTER_SECONDS = 5
DEPENDENCY_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def dependency_errors() -> tuple[type[BaseException], ...]:
    """The database's errors, and Redis's once anything has loaded the client.

    A process without REDIS_URL never imports redis (about 17 MiB), and then
    cannot have raised its errors.
    """
    redis = sys.modules.get("redis")
    if redis is None:
        return DEPENDENCY_ERRORS
    return (*DEPENDENCY_ERRORS, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a dependency's failure becomes a 503 to retry, anything else Django's 500."""
    if isinstance(sys.exc_info()[1], dependency_errors()):
        return unavailable(request)
    return defaults.server_error(request)


def unavailable(request: HttpRequest) -> HttpResponse:
    message = _("The shop is busy for a moment. Please try again in a few seconds.")
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "unavailable", "message": message}, status=503)
    else:
        # No template: rendering the site's would ask the database that is down.
        language = escape(get_language() or "zh-hans")
        response = HttpResponse(
            f'<!doctype html><html lang="{language}"><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(message)}</title><main><h1>{escape(message)}</h1></main></html>",
            status=503,
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
