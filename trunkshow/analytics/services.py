"""Recording events: the only code that writes analytics rows.

An event is written inside the caller's transaction: it commits with what it
describes (a result, a paid order) at the cost of one INSERT, and all the
events of one call share that INSERT. Every value is checked first against
what the table accepts (kind, lengths, number ranges, text PostgreSQL can
store), so the INSERT cannot be refused for what an event holds: an event
that would be is dropped and counted before it reaches the database, and
the caller's work goes on. That is why no savepoint is taken: its two
statements cost more than the INSERT (1.10x instead of 1.05x on the quiz
result on PostgreSQL; see bench/analytics.py). A database that fails under
a valid INSERT (connection lost, disk full) fails the caller's own statements
in that transaction alike, so outside a transaction such a failure is
dropped and counted, inside one it is the caller's error as its own would be.
(Storing events on commit in a transaction of their own made the quiz
result 1.63x slower.)
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
from django.db import DatabaseError, connection, models, transaction
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


# The INSERT, written once from the model: the ORM's save costs twice its CPU on
# the shopper's request (compiling the same statement each time, RETURNING the id).
_COLUMNS = [f for f in Event._meta.concrete_fields if not f.primary_key]
_EMPTY = {f.name: "" if isinstance(f, models.CharField) else None for f in _COLUMNS}
_PREPARED = {"occurred_at", "amount", "amount_reporting"}  # adapted per database
_INSERT = "INSERT INTO {table} ({columns}) VALUES ".format(  # noqa: S608 - the model's names
    table=connection.ops.quote_name(Event._meta.db_table),
    columns=", ".join(connection.ops.quote_name(str(f.column)) for f in _COLUMNS),
)
_ROW = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"


# What the table accepts, read from the model: checked before the INSERT.
_TEXT_MAX = {
    f.name: f.max_length
    for f in Event._meta.concrete_fields
    if isinstance(f, models.CharField) and f.max_length
}
_WHOLE_MAX = {"quiz_version": 2_147_483_647, "position": 32_767, "progress": 32_767}
_CENTS = Decimal("0.01")
_AMOUNT_LIMIT = {"amount": Decimal(10) ** 10, "amount_reporting": Decimal(10) ** 12}


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text")
    if len(value) > _TEXT_MAX[name] or "\x00" in value:
        raise ValueError(f"{name} does not fit the events table")
    value.encode()  # a lone surrogate cannot be stored: UnicodeEncodeError, a ValueError
    return value


def _amount(name: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    amount = Decimal(value).quantize(_CENTS)  # NaN and infinities raise ArithmeticError
    if not abs(amount) < _AMOUNT_LIMIT[name]:
        raise ValueError(f"{name} does not fit the events table")
    return amount


def _checked_event(
    kind: str,
    visitor_id: str,
    market: str,
    locale: str,
    at: datetime | None,
    fields: dict[str, Any],
) -> list[Any]:
    """The event's values in _COLUMNS' order, each one the table accepts, or
    ValueError/TypeError/ArithmeticError."""
    unknown = set(fields) - _FIELDS
    if unknown or kind not in Kind.values:
        raise ValueError(f"not an event: {kind} {sorted(unknown)}")
    if kind not in _QUIZ_KINDS and not fields.get("quiz") and visitor_id:
        fields = {**_quiz_context(visitor_id), **fields}
    when = at or timezone.now()
    if not isinstance(when, datetime) or timezone.is_naive(when):
        raise ValueError("an event's time needs its time zone")
    values: dict[str, Any] = {
        "kind": Kind(kind).value,
        "visitor_id": _text("visitor_id", visitor_id[:64]),
        "market": _text("market", market[:8]),
        "locale": _text("locale", locale[:16]),
        "occurred_at": when,
    }
    for name, value in fields.items():
        if name in _WHOLE_MAX:
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int)
                or not 0 <= value <= _WHOLE_MAX[name]
            ):  # fmt: skip
                raise ValueError(f"{name} must be a whole number from 0 to {_WHOLE_MAX[name]}")
            values[name] = value
        elif name == "amount":
            values[name] = _amount(name, value)
        else:
            values[name] = _text(name, "" if value is None else value)
    if values.get("amount") is not None:
        values["amount_reporting"] = _amount(
            "amount_reporting",
            to_reporting(values["amount"], values.get("currency", ""), when.date()),
        )
    return [
        field.get_db_prep_save(values.get(field.name), connection)
        if field.name in _PREPARED
        else values.get(field.name, _EMPTY[field.name])
        for field in _COLUMNS
    ]


def _store(rows: list[list[Any]]) -> None:
    """One INSERT for all of them, in the caller's transaction, with no savepoint (see
    the module's note): every value was checked against the table before."""
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT + ", ".join([_ROW] * len(rows)), [value for row in rows for value in row]
        )


def record_events(events: list[dict[str, Any]]) -> int:
    """Store events in the caller's transaction in one INSERT; return how many were stored.

    Each is a dict of record_event's arguments. One that the table would refuse
    is dropped and counted, the others are stored. Never raises for a bad event.
    """
    rows = []
    for event in events:
        try:
            fields = dict(event)
            rows.append(
                _checked_event(
                    fields.pop("kind"), fields.pop("visitor_id"), fields.pop("market", ""),
                    fields.pop("locale", ""), fields.pop("at", None), fields,
                )
            )  # fmt: skip
        except (KeyError, ValueError, TypeError, ArithmeticError):
            logger.warning("analytics event %s dropped", event.get("kind"), exc_info=True)
            _count_dropped()
        except DatabaseError:  # a read for its context or its rate
            if connection.in_atomic_block:
                raise  # the caller's transaction failed with it (see the module's note)
            logger.warning("analytics event %s dropped", event.get("kind"), exc_info=True)
            _count_dropped()
    if not rows:
        return 0
    try:
        _store(rows)
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        logger.warning("%d analytics events dropped", len(rows), exc_info=True)
        for _row in rows:
            _count_dropped()
        return 0
    return len(rows)


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
    the reporting currency. Never raises for a bad event.
    """
    event = {"kind": kind, "visitor_id": visitor_id, "market": market, "locale": locale,
             "at": at, **fields}  # fmt: skip
    return record_events([event]) == 1


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


def _tracked(request: HttpRequest) -> str:
    """The request's visitor id if it may be tracked, else ""."""
    visitor = str(getattr(request, "visitor_id", "") or "")
    if not visitor or not getattr(settings, "ANALYTICS_ENABLED", True):
        return ""
    try:
        allowed = all(gate(request) for gate in _tracking_gates)
    except DatabaseError:  # the consent could not be read: not tracked, as if refused
        if connection.in_atomic_block:
            raise
        logger.warning("consent unreadable: analytics event dropped", exc_info=True)
        _count_dropped()
        return ""
    return visitor if allowed else ""


def record_request_events(request: HttpRequest, events: list[dict[str, Any]]) -> int:
    """Record events a request's visitor caused, in one INSERT; return how many were stored.

    Every event from a request comes here (or through record_request_event).
    The visitor, market and locale come from the request (VisitorMiddleware,
    MarketMiddleware, LocaleMiddleware) unless an event gives market or locale.
    This is the one place to decide whether a visitor may be tracked at all.
    """
    visitor = _tracked(request)
    if not visitor or not events:
        return 0
    found = getattr(request, "market", None)
    market = getattr(found, "code", "") if found is not None else ""
    locale = _request_locale(request)
    return record_events([
        {**event, "visitor_id": visitor, "locale": event.get("locale") or locale,
         "market": market if event.get("market") is None else event["market"]}
        for event in events
    ])  # fmt: skip


def record_request_event(request: HttpRequest, kind: str, **fields: Any) -> bool:
    """Record one event a request's visitor caused (see record_request_events)."""
    return record_request_events(request, [{"kind": kind, **fields}]) == 1


def record_order_paid(
    *, cart_ref: str, amount: Decimal, currency: str, market: str, locale: str = ""
) -> bool:
    """Record a paid order for the visitor whose cart it was (found by the cart's events).

    Payment arrives from the provider, not from the shopper's browser, so the
    visitor is the one who added to or checked out this cart; a cart with no
    recorded visitor (not tracked) is not recorded either.
    """
    try:  # reads only: no savepoint (see the module's note)
        visitor = (
            Event.objects.filter(ref=cart_ref, kind__in=[Kind.CHECKOUT_STARTED, Kind.ADDED_TO_CART])
            .exclude(visitor_id="")
            .order_by("-id")
            .values_list("visitor_id", flat=True)
            .first()
        )
        if not visitor or Event.objects.filter(kind=Kind.ORDER_PAID, ref=cart_ref).exists():
            return False
    except DatabaseError:
        if connection.in_atomic_block:
            raise
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
