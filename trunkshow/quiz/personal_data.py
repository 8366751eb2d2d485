"""What the quiz holds about a shopper: results (answers, name), found by visitor id."""

from __future__ import annotations

from trunkshow.common.personal_data import ExportPart, Subject, register
from trunkshow.quiz.models import QuizResult


def collect(subject: Subject) -> None:
    results = QuizResult.objects.filter(visitor_id__in=subject.visitor_ids)
    rows = list(results.values_list("public_id", "video_message_id"))
    subject.add("quiz_results", (public_id for public_id, _m in rows))
    mine = {m for _p, m in rows if m is not None}
    # A message is shared by results with the same name and picks: one another
    # shopper still uses is theirs too, so it is exported but not erased.
    shared = set(
        QuizResult.objects.filter(video_message_id__in=mine)
        .exclude(public_id__in=[p for p, _m in rows])
        .values_list("video_message_id", flat=True)
    )
    subject.add("video_messages", sorted(mine - shared))
    subject.add("video_messages_shared", sorted(mine & shared))


def export(subject: Subject) -> ExportPart:
    results = QuizResult.objects.filter(public_id__in=subject.get("quiz_results"))
    return ExportPart(
        sections={
            "quiz_results": [
                {
                    "id": r.public_id,
                    "created_at": r.created_at,
                    "market": r.market_id,
                    "locale": r.locale,
                    "name": r.name,
                    "answers": r.answers,
                    "personalised": r.personalised,
                    "profile": r.profile_key,
                    "trait_totals": r.trait_totals,
                    "recommendations": r.recommendations,
                    "video_message": r.video_message_id,
                }
                for r in results.order_by("created_at")
            ]
        }
    )


def erase(subject: Subject) -> None:
    QuizResult.objects.filter(public_id__in=subject.get("quiz_results")).delete()


def register_handler() -> None:
    register(
        name="quiz", order=40, models=[QuizResult], collect=collect, export=export, erase=erase
    )
