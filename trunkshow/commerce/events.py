"""Commerce tells the apps above it what happened, without importing them.

Apps higher in the dependency order (the atelier, campaigns) subscribe in
their AppConfig.ready; commerce announces from a job enqueued in the
transaction that made the event (orders.order_paid_follow_up), so an
announcement is never lost with a process and a subscriber's error never
fails the request that paid.
Two kinds of hooks: events (an order was paid) and line details (what the
atelier knows about an order line, shown on the order).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

ORDER_PAID = "order_paid"

_handlers: dict[str, list[Callable[[int], object]]] = {}
_line_details: list[Callable[[list[int]], dict[int, dict[str, Any]]]] = []


def subscribe(event: str, handler: Callable[[int], object]) -> None:
    if handler not in _handlers.setdefault(event, []):
        _handlers[event].append(handler)


def announce(event: str, order_id: int) -> int:
    """Call every subscriber, each in its own transaction; return how many failed.

    One failing does not stop the others: each is safe to call again, and
    the caller tries the whole announcement again later.
    """
    failed = 0
    for handler in _handlers.get(event, []):
        try:
            with transaction.atomic():
                handler(order_id)
        except Exception:
            logger.exception("%s of order %s: %s failed", event, order_id, handler)
            failed += 1
    return failed


def provide_line_details(provider: Callable[[list[int]], dict[int, dict[str, Any]]]) -> None:
    if provider not in _line_details:
        _line_details.append(provider)


def line_details(
    line_ids: list[int], *, absolute: Callable[[str], str] | None = None
) -> dict[int, dict[str, Any]]:
    """Extra fields per order line from the apps above (e.g. its work order).

    Providers name their links as site paths ("..._url": "/kits/..."); with
    `absolute`, each becomes a full URL for the reader at hand (an API
    client, an email), so the apps above never need to know who reads.
    """
    merged: dict[int, dict[str, Any]] = {}
    for provider in _line_details:
        for line_id, fields in provider(line_ids).items():
            merged.setdefault(line_id, {}).update(fields)
    if absolute is not None:
        for fields in merged.values():
            for value in fields.values():
                if isinstance(value, dict):
                    _absolute_links(value, absolute)
    return merged


def _absolute_links(fields: dict[str, Any], absolute: Callable[[str], str]) -> None:
    for key, value in fields.items():
        if key.endswith("_url") and isinstance(value, str) and value.startswith("/"):
            fields[key] = absolute(value)
