"""Retention: what a shopper left behind without buying is removed after a while.

Older than PERSONAL_DATA_RETENTION_DAYS (180 by default; README lists it):
open carts nobody touched (with their lines), quiz results of visitors who
never ordered (with their video messages and files), and designs in no cart
and no order (with their previews). Orders and what they reference stay:
they are the books. Run by the periodic job; each pass removes at most
RETENTION_BATCH of each kind, so a backlog drains over a few passes without
one long transaction, and a pass run twice removes nothing more.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from trunkshow.commerce.models import Cart, CartLine, OrderLine
from trunkshow.common.personal_data import Subject
from trunkshow.quiz import personal_data as quiz_data
from trunkshow.quiz.models import QuizResult
from trunkshow.studio.models import Design
from trunkshow.studio.services import preview_path
from trunkshow.video import personal_data as video_data

RETENTION_BATCH = 500


def retention_cutoff(now: datetime | None = None) -> datetime:
    days = float(settings.PERSONAL_DATA_RETENTION_DAYS)
    return (now or timezone.now()) - timedelta(days=days)


def retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Remove what is past retention; return how many of each kind went."""
    cutoff = retention_cutoff(now)
    return {
        "carts": _carts(cutoff),
        "quiz_results": _quiz_results(cutoff),
        "designs": _designs(cutoff),
    }


def _carts(cutoff: datetime) -> int:
    stale = Cart.objects.filter(
        status=Cart.Status.OPEN, updated_at__lt=cutoff, orders__isnull=True
    ).values_list("pk", flat=True)[:RETENTION_BATCH]
    with transaction.atomic():
        ids = list(stale)
        Cart.objects.filter(pk__in=ids).delete()
    return len(ids)


def _quiz_results(cutoff: datetime) -> int:
    buyers = Cart.objects.filter(orders__isnull=False).exclude(visitor_id="").values("visitor_id")
    old = (
        QuizResult.objects.filter(created_at__lt=cutoff)
        .exclude(visitor_id__in=buyers)
        .order_by("visitor_id")
        .values_list("visitor_id", flat=True)
        .distinct()[:RETENTION_BATCH]
    )
    visitors = [v for v in old if v]
    removed = 0
    for visitor in visitors:
        subject = Subject(visitor_ids=[visitor])
        quiz_data.collect(subject)
        # Only the old results: a returning visitor's recent ones stay.
        recent = set(
            QuizResult.objects.filter(visitor_id=visitor, created_at__gte=cutoff).values_list(
                "public_id", flat=True
            )
        )
        if recent:
            continue
        with transaction.atomic():
            quiz_data.erase(subject)
            video_data.erase(subject)
        removed += len(subject.get("quiz_results"))
    # Results from before visitor ids (no visitor): by age alone, their
    # messages with them when no other result uses them.
    anonymous = list(
        QuizResult.objects.filter(created_at__lt=cutoff, visitor_id="").values_list(
            "public_id", "video_message_id"
        )[:RETENTION_BATCH]
    )
    if anonymous:
        subject = Subject()
        subject.add("quiz_results", (p for p, _m in anonymous))
        with transaction.atomic():
            quiz_data.erase(subject)
            messages = {m for _p, m in anonymous if m is not None}
            orphans = messages - set(
                QuizResult.objects.filter(video_message_id__in=messages).values_list(
                    "video_message_id", flat=True
                )
            )
            subject.add("video_messages", sorted(orphans))
            video_data.erase(subject)
        removed += len(anonymous)
    return removed


def _designs(cutoff: datetime) -> int:
    used = set(CartLine.objects.exclude(design=None).values_list("design_id", flat=True)) | set(
        OrderLine.objects.exclude(design=None).values_list("design_id", flat=True)
    )
    old = list(
        Design.objects.filter(created_at__lt=cutoff)
        .exclude(pk__in=used)
        .values_list("pk", "content_hash")[:RETENTION_BATCH]
    )
    with transaction.atomic():
        Design.objects.filter(pk__in=[pk for pk, _h in old]).delete()
    for digest in {h for _pk, h in old}:
        if not Design.objects.filter(content_hash=digest).exists():
            preview_path(digest).unlink(missing_ok=True)
    return len(old)
