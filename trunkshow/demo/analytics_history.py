"""Two weeks of quiz traffic for the demo dashboard: thousands of visitors, both markets,
one running experiment (the first question asked in other words)."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from trunkshow.analytics.models import Event
from trunkshow.analytics.rollup import analytics_rollup
from trunkshow.analytics.services import events_import
from trunkshow.engines.analytics.experiments import assign
from trunkshow.quiz.definitions import checksum, definition_of
from trunkshow.quiz.experiments import market_time_zones
from trunkshow.quiz.models import Experiment, QuizVersion
from trunkshow.quiz.services import experiment_create, quiz_import

VISITORS = 3000
DAYS = 14
PREFIX = "demo"
EXPERIMENT = "first-question"
NEW_WORDING = (
    ('"Sneakers or stilettos?"', '"Tonight, would you rather wear sneakers or stilettos?"'),
    ('"运动鞋还是细高跟？"', '"今晚，你更想穿运动鞋还是细高跟？"'),
)
PRICES = {"CN": ("CNY", 900, 3200), "US": ("USD", 140, 460)}


def ensure_experiment(control: QuizVersion) -> Experiment:
    """The demo's running experiment: the current wording against a new first question."""
    found = Experiment.objects.filter(slug=EXPERIMENT).first()
    if found is not None:
        return found
    source = control.source
    for old, new in NEW_WORDING:
        source = source.replace(old, new)
    newer = QuizVersion.objects.filter(quiz=control.quiz, checksum=checksum(source)).first()
    if newer is None:
        newer, _created = quiz_import(source=source)
    return experiment_create(
        slug=EXPERIMENT, quiz=control.quiz, title="First question, new wording",
        variants=[("control", control, 1), ("new", newer, 1)],
        baseline_rate=Decimal("0.08"), minimum_lift=Decimal("0.2"),
        starts_at=timezone.now() - timedelta(days=DAYS),
    )  # fmt: skip


def ensure_history(
    quiz_version: QuizVersion,
    experiment: Experiment | None,
    *,
    visitors: int | None = None,
    seed: int = 26,
) -> int:
    """Make the history once (later runs keep it); return how many events were made.

    settings.DEMO_ANALYTICS_VISITORS sizes it (tests make a small one).
    """
    if visitors is None:
        visitors = int(getattr(settings, "DEMO_ANALYTICS_VISITORS", VISITORS))
    if Event.objects.filter(visitor_id__startswith=PREFIX).exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - a demo's made-up history, not a secret
    variants = list(experiment.variants.select_related("version")) if experiment else []
    weights = [(v.key, v.weight) for v in variants]
    by_key = {v.key: v for v in variants}
    now = timezone.now() - timedelta(minutes=5)
    events: list[Event] = []
    for n in range(visitors):
        visitor = f"{PREFIX}{n:028x}"
        chosen = by_key[assign(experiment.slug, visitor, weights)] if experiment else None
        version = chosen.version if chosen else quiz_version
        market = "CN" if rng.random() < 0.6 else "US"
        context: dict[str, object] = {
            "visitor_id": visitor, "market": market,
            "locale": "zh-Hans" if market == "CN" or rng.random() < 0.1 else "en",
            "quiz": version.quiz.slug, "quiz_version": version.number,
            "variant": chosen.label if chosen else "",
        }  # fmt: skip
        at = now - timedelta(seconds=rng.randrange(DAYS * 24 * 3600))
        better = 1.15 if chosen and chosen.key == "new" else 1.0  # the new wording keeps more

        def add(kind: str, context: dict[str, object] = context, **fields: object) -> None:
            nonlocal at
            at += timedelta(seconds=rng.randrange(4, 90))
            events.append(Event(kind=kind, occurred_at=min(at, now), **context, **fields))

        add("quiz_viewed")
        _journey(rng, add, definition_of(version), market, better)
    made = events_import(events=events)
    zones = market_time_zones()
    while analytics_rollup(time_zones=zones):
        pass
    return made


def _journey(rng: random.Random, add, definition, market: str, better: float) -> None:  # type: ignore[no-untyped-def]
    answers = {}
    for position, question in enumerate(definition.questions, start=1):
        add("question_shown", question=question.key, position=position)
        keep = 0.86 * better if position == 1 else 0.97
        if rng.random() > min(keep, 0.99):
            return
        answer = rng.choice(question.answers).key
        answers[question.key] = answer
        add("question_answered", question=question.key, position=position, answer=answer)
    if rng.random() > 0.9:
        return
    profile = rng.choice([p.key for p in definition.profiles])
    add("quiz_completed", profile=profile)
    if rng.random() < 0.75:
        add("video_started", profile=profile)
        for mark in (25, 50, 75, 100):
            if rng.random() > 0.8:
                break
            add("video_progress", profile=profile, progress=mark)
    if rng.random() < 0.45:
        add("result_product_clicked", profile=profile, ref="demo")
    if rng.random() < 0.3:
        add("added_to_cart", ref=f"demo-cart-{rng.randrange(10**9)}")
        if rng.random() < 0.45:
            currency, low, high = PRICES[market]
            add("order_paid", amount=Decimal(rng.randrange(low, high)), currency=currency)
