"""Recording events: the only code that writes analytics rows.

An event is written inside the caller's transaction, under a savepoint: it
commits with what it describes (a result, a paid order) at the cost of one
INSERT (and the savepoint's two short statements), and a write that fails
is rolled back to the savepoint, counted and dropped, so the caller's work
goes on and the shopper never sees a 5xx.
(Storing events on commit in a transaction of their own made the quiz
result 1.63x slower; see bench/analytics.py.)
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import to_locale

from trunkshow.analytics.models import Event, ExchangeRate, Kind, VisitorJourney

logger = logging.getLogger(__name__)

DROPPED_KEY = "analytics:dropped"
_FIELDS = {
    "quiz", "quiz_version", "variant", "question", "position", "answer", "profile",
    "progress", "ref", "amount", "currency",
}  # fmt: skip
# Events about the quiz carry its version and variant themselves; others are
# given the visitor's latest quiz context (one indexed read).
_QUIZ_KINDS = {
    Kind.QUIZ_VIEWED, Kind.QUESTION_SHOWN, Kind.QUESTION_ANSWERED, Kind.QUIZ_COMPLETED,
}  # fmt: skip


def reporting_currency() -> str:
    return str(getattr(settings, "ANALYTICS_REPORTING_CURRENCY", "USD"))


def to_reporting(amount: Decimal, currency: str, on: date) -> Decimal | None:
    """`amount` in the reporting currency at the rate valid on `on`; None without a rate."""
    target = reporting_currency()
    if currency == target:
        return amount
    rate = (
        ExchangeRate.objects.filter(
            currency=currency, reporting_currency=target, valid_from__lte=on
        )
        .order_by("-valid_from")
        .values_list("rate", flat=True)
        .first()
    )
    return None if rate is None else (amount * rate).quantize(Decimal("0.01"))


def _count_dropped() -> None:
    try:
        cache.add(DROPPED_KEY, 0, None)
        cache.incr(DROPPED_KEY)
    except Exception:  # the count is a courtesy; the request must go on
        logger.warning("an analytics event was dropped and could not be counted")


def dropped_count() -> int:
    """How many events could not be stored since the cache was last emptied."""
    try:
        return int(cache.get(DROPPED_KEY) or 0)
    except Exception:
        return 0


def _quiz_context(visitor_id: str) -> dict[str, Any]:
    found = (
        Event.objects.filter(visitor_id=visitor_id)
        .exclude(quiz="")
        .order_by("-id")
        .values("quiz", "quiz_version", "variant")
        .first()
    )
    return dict(found) if found else {}


def _insert(
    kind: str,
    visitor_id: str,
    market: str,
    locale: str,
    at: datetime | None,
    fields: dict[str, Any],
) -> None:
    if kind not in _QUIZ_KINDS and not fields.get("quiz") and visitor_id:
        fields = {**_quiz_context(visitor_id), **fields}
    when = at or timezone.now()
    if fields.get("amount") is not None:
        fields["amount_reporting"] = to_reporting(
            Decimal(fields["amount"]), fields.get("currency", ""), when.date()
        )
    Event.objects.create(
        kind=kind,
        visitor_id=visitor_id[:64],
        market=market[:8],
        locale=locale[:16],
        occurred_at=when,
        **fields,
    )


def record_event(
    *,
    kind: str,
    visitor_id: str,
    market: str = "",
    locale: str = "",
    at: datetime | None = None,
    **fields: Any,
) -> bool:
    """Store one event in the caller's transaction; return False if it was dropped.

    Fields: quiz, quiz_version, variant, question, position, answer, profile,
    progress, ref, amount, currency. An event with an amount also gets it in
    the reporting currency. Never raises for a bad event or a failed write.
    """
    try:
        unknown = set(fields) - _FIELDS
        if unknown or kind not in Kind.values:
            raise ValueError(f"not an event: {kind} {sorted(unknown)}")
        with transaction.atomic():
            _insert(kind, visitor_id, market, locale, at, fields)
        return True
    except (DatabaseError, ValueError, TypeError, ArithmeticError):
        logger.warning("analytics event %s dropped", kind, exc_info=True)
        _count_dropped()
        return False


def _request_locale(request: HttpRequest) -> str:
    code = getattr(request, "LANGUAGE_CODE", "") or ""
    return to_locale(code).replace("_", "-") if code else ""


_tracking_gates: list[Callable[[HttpRequest], bool]] = []


def tracking_gate_add(gate: Callable[[HttpRequest], bool]) -> None:
    """Let an app above say whether a request's visitor may be tracked (consent).

    Analytics imports no app, so the consent rule is handed to it (by the
    privacy app's ready()) rather than looked up here; every gate must agree.
    """
    if gate not in _tracking_gates:
        _tracking_gates.append(gate)


def record_request_event(request: HttpRequest, kind: str, **fields: Any) -> bool:
    """Record an event a request's visitor caused: every event from a request comes here.

    The visitor, market and locale come from the request (VisitorMiddleware,
    MarketMiddleware, LocaleMiddleware) unless given. This is the one place
    to decide whether a visitor may be tracked at all.
    """
    visitor = str(getattr(request, "visitor_id", "") or "")
    if not visitor or not getattr(settings, "ANALYTICS_ENABLED", True):
        return False
    if not all(gate(request) for gate in _tracking_gates):
        return False
    market = fields.pop("market", None)
    if market is None:
        found = getattr(request, "market", None)
        market = getattr(found, "code", "") if found is not None else ""
    locale = fields.pop("locale", None) or _request_locale(request)
    return record_event(kind=kind, visitor_id=visitor, market=market, locale=locale, **fields)


def record_order_paid(
    *, cart_ref: str, amount: Decimal, currency: str, market: str, locale: str = ""
) -> bool:
    """Record a paid order for the visitor whose cart it was (found by the cart's events).

    Payment arrives from the provider, not from the shopper's browser, so the
    visitor is the one who added to or checked out this cart; a cart with no
    recorded visitor (not tracked) is not recorded either.
    """
    try:
        with transaction.atomic():
            visitor = (
                Event.objects.filter(
                    ref=cart_ref, kind__in=[Kind.CHECKOUT_STARTED, Kind.ADDED_TO_CART]
                )
                .exclude(visitor_id="")
                .order_by("-id")
                .values_list("visitor_id", flat=True)
                .first()
            )
            if not visitor or Event.objects.filter(kind=Kind.ORDER_PAID, ref=cart_ref).exists():
                return False
    except DatabaseError:
        _count_dropped()
        return False
    return record_event(
        kind=Kind.ORDER_PAID, visitor_id=visitor, market=market, locale=locale,
        ref=cart_ref, amount=amount, currency=currency,
    )  # fmt: skip


_EXPORTED = [
    "kind", "occurred_at", "market", "locale", "quiz", "quiz_version", "variant", "question",
    "position", "answer", "profile", "progress", "ref", "amount", "currency",
]  # fmt: skip


def visitor_events_export(*, visitor_id: str) -> list[dict[str, Any]]:
    """Every event stored under a visitor id, oldest first, as plain JSON-ready data."""
    if not visitor_id:
        return []
    rows = Event.objects.filter(visitor_id=visitor_id).order_by("id").values(*_EXPORTED)
    return [
        {
            **row,
            "occurred_at": row["occurred_at"].isoformat(),
            "amount": None if row["amount"] is None else str(row["amount"]),
        }
        for row in rows
    ]


def visitor_events_anonymise(*, visitor_id: str) -> int:
    """Cut a visitor's events from their id; return how many events were changed.

    The events stay under one new random id nobody holds, so every count
    (visitors, funnel steps, revenue, experiment read-outs) stays what it
    was, and nothing leads back to the person. Cart and order references go.
    """
    if not visitor_id:
        return 0
    stranger = "anon-" + secrets.token_hex(16)
    with transaction.atomic():
        VisitorJourney.objects.filter(visitor_id=visitor_id).update(visitor_id=stranger)
        return Event.objects.filter(visitor_id=visitor_id).update(visitor_id=stranger, ref="")


def events_import(*, events: list[Event], batch_size: int = 2000) -> int:
    """Store events made elsewhere (the demo's history, benchmarks) in bulk; return how many.

    Amounts are converted to the reporting currency as record_event does.
    """
    for event in events:
        if event.amount is not None and event.amount_reporting is None:
            event.amount_reporting = to_reporting(
                event.amount, event.currency, event.occurred_at.date()
            )
    with transaction.atomic():
        Event.objects.bulk_create(events, batch_size=batch_size)
    return len(events)
