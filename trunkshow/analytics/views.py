"""The page's beacon: what only the browser sees (a question shown, video watched).

Same origin only: an ordinary POST that Django's CSRF check guards (the
script sends the token in X-CSRFToken), JSON of a bounded size, a bounded
number of events of the few kinds a browser may report, each field checked.
The server adds the visitor, market and locale; the client never names them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from trunkshow.analytics.models import Kind
from trunkshow.analytics.services import record_request_events

MAX_BYTES = 8 * 1024
MAX_EVENTS = 20
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_REF = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_VARIANT = re.compile(r"^[A-Za-z0-9_-]{1,24}:[A-Za-z0-9_-]{1,15}$")  # experiment:variant
_CONTEXT = ("quiz", "quiz_version", "variant")
ALLOWED: dict[str, tuple[str, ...]] = {
    Kind.QUESTION_SHOWN: (*_CONTEXT, "question", "position"),
    Kind.QUESTION_ANSWERED: (*_CONTEXT, "question", "position", "answer"),
    Kind.VIDEO_STARTED: (*_CONTEXT, "profile"),
    Kind.VIDEO_PROGRESS: (*_CONTEXT, "profile", "progress"),
    Kind.PRODUCT_CLICKED: (*_CONTEXT, "profile", "ref"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    Kind.QUESTION_SHOWN: ("quiz", "question", "position"),
    Kind.QUESTION_ANSWERED: ("quiz", "question", "position", "answer"),
    Kind.VIDEO_STARTED: ("quiz",),
    Kind.VIDEO_PROGRESS: ("quiz", "progress"),
    Kind.PRODUCT_CLICKED: ("quiz", "ref"),
}


class BadEvent(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadEvent(field, f"must be a whole number from {low} to {high}")
    return value


def _text(value: Any, field: str, pattern: re.Pattern[str]) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise BadEvent(field, "must be a key of letters, digits, '-' or '_'")
    return value


def clean_event(raw: Any, where: str) -> dict[str, Any]:
    """Return the event's fields checked, or raise BadEvent naming the field."""
    if not isinstance(raw, dict):
        raise BadEvent(where, "must be an object")
    kind = raw.get("kind")
    if kind not in ALLOWED:
        raise BadEvent(f"{where}.kind", "must be one of: " + ", ".join(sorted(ALLOWED)))
    allowed = ALLOWED[kind]
    for name in raw:
        if name != "kind" and name not in allowed:
            raise BadEvent(f"{where}.{name}", "is not a field of this kind of event")
    for name in REQUIRED[kind]:
        if raw.get(name) in (None, ""):
            raise BadEvent(f"{where}.{name}", "is required")
    clean: dict[str, Any] = {"kind": kind}
    for name in allowed:
        value = raw.get(name)
        if value is None or value == "":
            continue
        field = f"{where}.{name}"
        if name == "quiz_version":
            clean[name] = _int(value, field, 1, 1_000_000)
        elif name == "position":
            clean[name] = _int(value, field, 1, 200)
        elif name == "progress":
            if value not in (25, 50, 75, 100) or isinstance(value, bool):
                raise BadEvent(field, "must be 25, 50, 75 or 100")
            clean[name] = value
        elif name == "ref":
            clean[name] = _text(value, field, _REF)
        elif name == "variant":
            if not isinstance(value, str) or not _VARIANT.match(value):
                raise BadEvent(field, "must be an experiment and a variant, 'experiment:key'")
            clean[name] = value
        else:
            clean[name] = _text(value, field, _KEY)
    return clean


def _bad(field: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse(
        {"code": "invalid", "field": field, "message": f"{field}: {message}."}, status=status
    )


@require_POST
def beacon(request: HttpRequest) -> HttpResponse:
    if request.content_type != "application/json":
        return _bad("body", "must be JSON (Content-Type: application/json)", 415)
    if len(request.body) > MAX_BYTES:
        return _bad("body", f"must be at most {MAX_BYTES} bytes", 413)
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _bad("body", "is not valid JSON")
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_EVENTS:
        return _bad("events", f"must be a list of 1 to {MAX_EVENTS} events")
    try:
        cleaned = [clean_event(raw, f"events[{i}]") for i, raw in enumerate(events)]
    except BadEvent as exc:
        return _bad(exc.field, str(exc))
    record_request_events(request, cleaned)  # one INSERT for the batch
    return HttpResponse(status=204)
