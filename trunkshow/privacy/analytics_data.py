"""Analytics' share of privacy: consent gates its tracking, export and erase reach its events.

Analytics is a sink that imports no app, so the privacy app, which sits on
top, hands it the consent rule and registers its handler here.
"""

from __future__ import annotations

from django.http import HttpRequest

from trunkshow.analytics.models import DailyCount, Event, ExchangeRate, RollupMark, VisitorJourney
from trunkshow.analytics.services import (
    tracking_gate_add,
    visitor_events_anonymise,
    visitor_events_export,
)
from trunkshow.common.consent import consent_allows
from trunkshow.common.personal_data import ExportPart, Subject, not_personal, nothing, register


def _analytics_consented(request: HttpRequest) -> bool:
    return consent_allows(request, "analytics")


def _export(subject: Subject) -> ExportPart:
    rows = [
        row for visitor in subject.visitor_ids for row in visitor_events_export(visitor_id=visitor)
    ]
    return ExportPart(sections={"analytics_events": rows})


def _erase(subject: Subject) -> None:
    # Events move to an id nobody holds: counts, funnels and read-outs stay as they were.
    for visitor in subject.visitor_ids:
        visitor_events_anonymise(visitor_id=visitor)


def register_analytics() -> None:
    tracking_gate_add(_analytics_consented)
    register(
        name="analytics",
        order=80,
        models=[Event, VisitorJourney],
        collect=nothing,
        export=_export,
        erase=_erase,
    )
    for model in (DailyCount, ExchangeRate, RollupMark):
        not_personal(model, "aggregate counts and exchange rates, no visitor")
