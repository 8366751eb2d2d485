"""Idempotency keys, Stripe's way: one answer per (scope, key), replayed to every retry.

The first request with a key takes a lease on it and runs; a retry while
it runs is told so (409), a retry after it finished gets the same answer,
and the same key with another body is refused (422). A request that died
mid-way leaves its lease to run out, after which the key can be used again,
so a client is never stuck on 409. Finished answers are kept for a day.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from trunkshow.commerce.models import IdempotencyRecord
from trunkshow.common.errors import Conflict, Invalid

LEASE = timedelta(seconds=60)
KEPT_FOR = timedelta(hours=24)

Answer = tuple[int, dict[str, Any]]


def request_fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(
        json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
    ).hexdigest()


def _claim(*, scope: str, key: str, fingerprint: str) -> IdempotencyRecord | Answer:
    """Take the key's lease, or return the answer a finished first request gave.

    Raises Conflict (the first request still runs) or Invalid (another body).
    """
    now = timezone.now()
    with transaction.atomic():
        record = IdempotencyRecord.objects.select_for_update().filter(scope=scope, key=key).first()
        if record is None:
            try:
                with transaction.atomic():  # a savepoint: a racing first request may insert too
                    return IdempotencyRecord.objects.create(
                        scope=scope, key=key, request_hash=fingerprint, lease_until=now + LEASE
                    )
            except IntegrityError:
                raise _in_progress() from None
        finished = record.done and record.completed_at is not None
        if finished and record.completed_at < now - KEPT_FOR:  # type: ignore[operator]
            stale = True  # forgotten: the key starts afresh
        elif not finished and (record.lease_until is None or record.lease_until < now):
            stale = True  # its request died mid-way
        else:
            stale = False
        if not stale:
            if record.request_hash != fingerprint:
                raise Invalid.field(
                    ("header", "Idempotency-Key"),
                    "This Idempotency-Key was used with a different request body.",
                    code="idempotency_key_reused",
                )
            if not finished:
                raise _in_progress()
            return record.response_status or 200, record.response_body or {}
        record.request_hash = fingerprint
        record.done = False
        record.response_status = None
        record.response_body = None
        record.completed_at = None
        record.lease_until = now + LEASE
        record.save()
        return record


def _in_progress() -> Conflict:
    return Conflict(
        "A request with this Idempotency-Key is running; retry in a moment.",
        code="request_in_progress",
    )


def idempotent(*, scope: str, key: str, fingerprint: str, run: Callable[[], Answer]) -> Answer:
    """Run `run` once per (scope, key) and keep its answer for the retries.

    An answer of 500 or more is not kept: the client may retry the same key.
    """
    claimed = _claim(scope=scope, key=key, fingerprint=fingerprint)
    if not isinstance(claimed, IdempotencyRecord):
        return claimed
    try:
        status, body = run()
    except BaseException:
        IdempotencyRecord.objects.filter(pk=claimed.pk, done=False).delete()
        raise
    if status >= 500:
        IdempotencyRecord.objects.filter(pk=claimed.pk, done=False).delete()
    else:
        IdempotencyRecord.objects.filter(pk=claimed.pk).update(
            done=True,
            response_status=status,
            response_body=body,
            completed_at=timezone.now(),
            lease_until=None,
        )
    return status, body


def idempotency_records_purge() -> int:
    """Delete answers older than a day (run periodically; a lookup ignores them anyway)."""
    deleted, _kinds = IdempotencyRecord.objects.filter(
        done=True, completed_at__lt=timezone.now() - KEPT_FOR
    ).delete()
    return deleted
