from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, override

from trunkshow.common.db import insert_row
from trunkshow.common.group_commit import write_together
from trunkshow.common.locales import localized, to_django
from trunkshow.common.models import Market
from trunkshow.engines.quiz import score
from trunkshow.engines.quiz.scoring import shopper_affinity
from trunkshow.engines.text import clean_display_name
from trunkshow.quiz import selectors
from trunkshow.quiz.definitions import checksum, parse_source
from trunkshow.quiz.models import Quiz, QuizResult, QuizVersion
from trunkshow.video.services import message_request


class QuizNotFound(LookupError):
    pass


@transaction.atomic
def quiz_import(*, source: str, publish: bool = True) -> tuple[QuizVersion, bool]:
    """Store a quiz definition as a new version; return it and whether it is new.

    Importing the same text again returns the existing version, so loaders
    can run any number of times. Raises DefinitionError listing every issue.
    """
    definition = parse_source(source)
    quiz, _created = Quiz.objects.get_or_create(slug=definition.slug)
    digest = checksum(source)
    latest = quiz.versions.order_by("-number").first()
    if latest is not None and latest.checksum == digest:
        if publish and not latest.is_published:
            quiz_version_publish(version=latest)
        return latest, False
    number = (quiz.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    version = QuizVersion.objects.create(
        quiz=quiz,
        number=number,
        source=source,
        checksum=digest,
        published_at=timezone.now() if publish else None,
    )
    return version, True


@transaction.atomic
def quiz_version_publish(*, version: QuizVersion) -> QuizVersion:
    if version.is_published:
        return version
    parse_source(version.source)  # never publish what cannot be scored
    version.checksum = checksum(version.source)
    version.published_at = timezone.now()
    version.save(update_fields=["checksum", "published_at"])
    return version


def quiz_result_create(
    *,
    slug: str,
    answers: Mapping[str, Any],
    name: str,
    locale: str,
    market: Market,
    personalised: bool,
) -> QuizResult:
    """Score a shopper's answers, pick their bags, and keep the result.

    Raises QuizNotFound, or AnswerError naming every bad question/answer.
    """
    found = selectors.current_version(slug=slug)
    if found is None:
        raise QuizNotFound(slug)
    version, definition = found
    result = score(definition, answers)
    affinity = shopper_affinity(definition, result) if personalised else None
    picks = selectors.recommend(market_code=market.code, affinity=affinity)
    profile = definition.profile(result.profile)
    clean_name = clean_display_name(name)
    with override(to_django(locale)):
        subtitle = gettext("A message from the designer")

    # The result, its video message and the render job commit together,
    # in one transaction shared with the other results written meanwhile.
    def write() -> QuizResult:
        message = message_request(
            name=clean_name,
            locale=locale,
            profile_key=result.profile,
            card_title=localized(profile.title, locale),
            card_subtitle=subtitle,
            product_slugs=[pick.candidate.group for pick in picks],
        )
        stored = QuizResult(
            version=version,
            market=market,
            locale=locale,
            name=clean_name,
            video_message=message,
            answers={q.key: answers[q.key] for q in definition.questions},
            personalised=personalised,
            profile_key=result.profile,
            trait_totals={t: str(v) for t, v in result.totals.items()},
            deciding_traits=list(result.deciding_traits),
            recommendations=[
                {
                    "sku": pick.candidate.sku,
                    "product": pick.candidate.group,
                    "score": round(pick.score, 4),
                    "matched_tags": list(pick.matched_tags),
                }
                for pick in picks
            ],
        )
        insert_row(stored)
        return stored

    return write_together(write)
