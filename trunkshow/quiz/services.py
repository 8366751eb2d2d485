from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, override

from trunkshow.common.errors import Conflict, Invalid, NotFound
from trunkshow.common.local_cache import cached, forget
from trunkshow.common.locales import localized, supported_locales, to_django
from trunkshow.common.models import Market
from trunkshow.engines.analytics.experiments import sample_size
from trunkshow.engines.quiz import QuizDefinition, score
from trunkshow.engines.quiz.scoring import shopper_affinity
from trunkshow.engines.text import shown_name
from trunkshow.quiz import selectors
from trunkshow.quiz.definitions import checksum, definition_of, parse_source
from trunkshow.quiz.experiments import experiment_readout
from trunkshow.quiz.models import Experiment, ExperimentVariant, Quiz, QuizResult, QuizVersion
from trunkshow.video.services import message_request, render_allowance_take


class QuizNotFound(NotFound):
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


@dataclass(frozen=True)
class _Outcome:
    """What a set of answers gives in one language, the same for every shopper who gives it."""

    profile_key: str
    affinity: dict[str, float] | None
    answers: dict[str, Any]
    trait_totals: dict[str, str]
    deciding_traits: list[str]
    locale: str
    card_subtitle: str
    card_titles: dict[str, str]  # the profile's title in every shop language

    @property
    def card_title(self) -> str:
        return self.card_titles[self.locale]


def _outcome(
    version: QuizVersion, definition: QuizDefinition, answers: Mapping[str, Any], *,
    locale: str, personalised: bool,
) -> _Outcome:  # fmt: skip
    """Score the answers (AnswerError names every bad one); shared by all who answer alike."""

    def build() -> _Outcome:
        result = score(definition, answers)
        with override(to_django(locale)):
            subtitle = gettext("A message from the designer")
        return _Outcome(
            profile_key=result.profile,
            affinity=shopper_affinity(definition, result) if personalised else None,
            answers={q.key: answers[q.key] for q in definition.questions},
            trait_totals={t: str(v) for t, v in result.totals.items()},
            deciding_traits=list(result.deciding_traits),
            locale=locale,
            card_subtitle=subtitle,
            card_titles={
                code: localized(definition.profile(result.profile).title, code)
                for code in supported_locales()  # the shopper's locale is one of them
            },
        )

    if not all(isinstance(v, str) for v in answers.values()):
        return build()  # raises AnswerError
    # Only answers that scored are kept, so shoppers cannot fill the cache:
    # a quiz of n either/or questions has 2**n of them.
    key = ("quiz.outcome", version.pk, tuple(sorted(answers.items())), locale, personalised)
    return cached(key, 3600, build)


def quiz_result_create(
    *,
    slug: str,
    answers: Mapping[str, Any],
    name: str,
    locale: str,
    market: Market,
    personalised: bool,
    clients: Sequence[str] = (),
    visitor_id: str = "",
    on_stored: Callable[[QuizResult], object] | None = None,
    version: QuizVersion | None = None,
) -> QuizResult:
    """Score a shopper's answers, pick their bags, and keep the result.

    A named video is rendered while `clients` (the request's address and
    session) are within the render limit; past it the result gets the
    nameless card (video/services.render_allowance_take).
    `version`: the one the shopper was shown (an experiment's), else the
    current. `on_stored` is called with the result inside the transaction that stores
    it (the caller records its analytics event there: one commit, not two).
    Raises QuizNotFound, or AnswerError naming every bad question/answer.
    """
    if version is None:
        found = selectors.current_version(slug=slug)
        if found is None:
            raise QuizNotFound(slug)
        version, definition = found
    else:  # the version an experiment serves this shopper
        definition = definition_of(version)
    outcome = _outcome(version, definition, answers, locale=locale, personalised=personalised)
    picks = selectors.recommend(market_code=market.code, affinity=outcome.affinity)
    clean_name = shown_name(name)

    def compose() -> QuizResult:
        return QuizResult(
            version=version,
            market=market,
            locale=locale,
            name=clean_name,
            visitor_id=visitor_id[:64],
            answers=outcome.answers,
            personalised=personalised,
            profile_key=outcome.profile_key,
            trait_totals=outcome.trait_totals,
            deciding_traits=outcome.deciding_traits,
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

    video_name = clean_name
    if video_name and not render_allowance_take(clients=clients):
        video_name = ""
    message_parts: dict[str, Any] = {
        "name": video_name,
        "locale": locale,
        "profile_key": outcome.profile_key,
        "card_title": outcome.card_title,
        "card_subtitle": outcome.card_subtitle,
        "card_titles": outcome.card_titles,
        "product_slugs": [pick.candidate.group for pick in picks],
    }
    # The result, its video message and the render job commit together: a
    # crash after the commit still leaves the render queued.
    with transaction.atomic():
        stored = compose()
        stored.video_message = message_request(**message_parts)
        stored.save(force_insert=True)
        if on_stored is not None:
            on_stored(stored)
    return stored


class ExperimentNotReady(Conflict):
    code = "experiment_not_ready"


@transaction.atomic
def experiment_create(
    *,
    slug: str,
    quiz: Quiz,
    variants: Sequence[tuple[str, QuizVersion, int]],
    baseline_rate: Decimal,
    minimum_lift: Decimal,
    starts_at: datetime,
    stops_at: datetime | None = None,
    alpha: Decimal = Decimal("0.05"),
    power: Decimal = Decimal("0.8"),
    title: str = "",
) -> Experiment:
    """Make an experiment; its sample size per variant is fixed here, before any data.

    `variants` are (key, published version of this quiz, weight), the control first.
    Raises Invalid naming every bad field.
    """
    problems: list[tuple[tuple[str | int, ...], str]] = []
    if len(variants) < 2:
        problems.append((("variants",), gettext("An experiment needs two variants or more.")))
    for key, version, weight in variants:
        if version.quiz_id != quiz.pk or not version.is_published:
            message = gettext("%(key)s: not a published version of this quiz.") % {"key": key}
            problems.append((("variants",), message))
        if weight < 1:
            message = gettext("%(key)s: the weight must be 1 or more.") % {"key": key}
            problems.append((("variants",), message))
    try:
        size = sample_size(
            baseline=float(baseline_rate),
            relative_lift=float(minimum_lift),
            alpha=float(alpha),
            power=float(power),
        )
    except ValueError:
        message = gettext("The baseline and the baseline with the lift must be between 0 and 1.")
        problems.append((("minimum_lift",), message))
        size = 0
    if problems:
        raise Invalid(problems)
    experiment = Experiment.objects.create(
        slug=slug, quiz=quiz, title=title, starts_at=starts_at, stops_at=stops_at,
        baseline_rate=baseline_rate, minimum_lift=minimum_lift, alpha=alpha, power=power,
        sample_size=size,
    )  # fmt: skip
    for position, (key, version, weight) in enumerate(variants):
        ExperimentVariant.objects.create(
            experiment=experiment, key=key, version=version, weight=weight, position=position
        )
    forget(("quiz.experiment", quiz.slug))
    return experiment


@transaction.atomic
def experiment_promote(
    *, experiment: Experiment, variant_key: str, force: bool = False
) -> QuizVersion:
    """Publish the variant's version as the quiz's current one and end the experiment.

    Only once every variant reached the planned sample (a fixed-horizon test
    read early is not a result), unless `force` (staff overruling it, said
    in the admin). Raises ExperimentNotReady or NotFound.
    """
    locked = Experiment.objects.select_for_update().get(pk=experiment.pk)
    variant = locked.variants.select_related("version").filter(key=variant_key).first()
    if variant is None:
        raise NotFound(gettext("No variant %(key)s.") % {"key": variant_key})
    if not force and not _horizon_reached(locked):
        raise ExperimentNotReady(gettext("Not enough data yet: the planned sample is not reached."))
    # A new number with the winner's text: the current version is the highest
    # published one, and published versions never change.
    current, _new = quiz_import(source=variant.version.source, publish=True)
    now = timezone.now()
    locked.promoted_variant, locked.promoted_at = variant.key, now
    locked.stops_at = min(locked.stops_at or now, now)
    locked.save(update_fields=["promoted_variant", "promoted_at", "stops_at"])
    forget(("quiz.experiment", locked.quiz.slug))  # this process at once; others within seconds
    forget(("quiz.current", locked.quiz.slug))
    return current


def _horizon_reached(experiment: Experiment) -> bool:
    return bool(experiment_readout(experiment)["enough_data"])
