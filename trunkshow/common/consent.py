"""The visitor's consent, checked in one place by every app.

Purposes: "necessary" (always allowed: the shop cannot work without it),
"analytics" and "personalisation". The choice is stored per visitor id
(trunkshow/common/visitors.py) as append-only ConsentRecord rows.

With no choice made yet, analytics is off (GDPR art. 6/7: opt in) and
personalisation is on: ranking the bags from the quiz answers is the service
the shopper asked for by answering, and PIPL art. 24 gives the right to refuse
it, which the banner offers on the first page. Refusing shows the brand's
default ranking everywhere, the video message included, and stops the
remind-me e-mails (trunkshow/campaigns/reminders.py says why that purpose).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest

from trunkshow.common.models import ConsentRecord
from trunkshow.common.visitors import visitor_id as request_visitor_id

Purpose = Literal["necessary", "analytics", "personalisation"]
PURPOSES: tuple[Purpose, ...] = ("necessary", "analytics", "personalisation")
CONSENT_SOURCES = ("banner", "privacy page", "api")


@dataclass(frozen=True)
class Consent:
    analytics: bool
    personalisation: bool
    chosen: bool  # False: the visitor has not answered the banner yet

    def allows(self, purpose: Purpose) -> bool:
        if purpose == "necessary":
            return True
        if purpose == "analytics":
            return self.analytics
        if purpose == "personalisation":
            return self.personalisation
        raise ValueError(f"unknown consent purpose {purpose!r}")


UNDECIDED = Consent(analytics=False, personalisation=True, chosen=False)


def consent_of(visitor_id: str) -> Consent:
    """Return the consent in force for a visitor id (UNDECIDED when none was given)."""
    row = (
        ConsentRecord.objects.filter(visitor_id=visitor_id)
        .order_by("-created_at", "-pk")
        .values_list("analytics", "personalisation")
        .first()
    )
    if row is None:
        return UNDECIDED
    return Consent(analytics=row[0], personalisation=row[1], chosen=True)


def consents_of(visitor_ids: Iterable[str]) -> dict[str, Consent]:
    """The consent in force for each visitor id (UNDECIDED for one with none), in few reads."""
    wanted = sorted(set(visitor_ids))
    found = dict.fromkeys(wanted, UNDECIDED)
    for start in range(0, len(wanted), 500):
        rows = (
            ConsentRecord.objects.filter(visitor_id__in=wanted[start : start + 500])
            .order_by("visitor_id", "created_at", "pk")
            .values_list("visitor_id", "analytics", "personalisation")
        )
        for visitor, analytics, personalisation in rows:  # the newest comes last and wins
            found[visitor] = Consent(analytics=analytics, personalisation=personalisation,
                                     chosen=True)  # fmt: skip
    return found


def request_consent(request: HttpRequest) -> Consent:
    """Return the request's consent, read once per request."""
    known = getattr(request, "_consent", None)
    if isinstance(known, Consent):
        return known
    consent = consent_of(request_visitor_id(request))
    request._consent = consent  # type: ignore[attr-defined]
    return consent


def consent_allows(request: HttpRequest, purpose: Purpose) -> bool:
    """Return whether the visitor behind `request` allows `purpose`."""
    return request_consent(request).allows(purpose)


def consent_record(
    *, visitor_id: str, analytics: bool, personalisation: bool, source: str
) -> ConsentRecord:
    """Store a new choice for the visitor; the history is kept, the newest wins."""
    with transaction.atomic():
        return ConsentRecord.objects.create(
            visitor_id=visitor_id,
            analytics=analytics,
            personalisation=personalisation,
            source=source[:32],
        )


def consent_set_for_request(
    request: HttpRequest, *, analytics: bool, personalisation: bool, source: str
) -> Consent:
    """Store the request's visitor's choice and make it the one this request sees."""
    consent_record(
        visitor_id=request_visitor_id(request),
        analytics=analytics,
        personalisation=personalisation,
        source=source,
    )
    consent = Consent(analytics=analytics, personalisation=personalisation, chosen=True)
    request._consent = consent  # type: ignore[attr-defined]
    return consent


def _export_consent(subject: Any) -> Any:
    from trunkshow.common.personal_data import ExportPart

    rows = ConsentRecord.objects.filter(visitor_id__in=subject.visitor_ids).order_by("created_at")
    return ExportPart(
        sections={
            "consent_history": [
                {
                    "analytics": r.analytics,
                    "personalisation": r.personalisation,
                    "source": r.source,
                    "at": r.created_at,
                }
                for r in rows
            ]
        }
    )


def _collect_consent(subject: Any) -> None:
    subject.add(
        "consent",
        ConsentRecord.objects.filter(visitor_id__in=subject.visitor_ids).values_list(
            "pk", flat=True
        ),
    )


def _erase_consent(subject: Any) -> None:
    ConsentRecord.objects.filter(visitor_id__in=subject.visitor_ids).delete()


def register_handler() -> None:
    from trunkshow.common import personal_data
    from trunkshow.common.models import Market, WorkerHeartbeat

    personal_data.register(
        name="consent",
        order=10,
        models=[ConsentRecord],
        collect=_collect_consent,
        export=_export_consent,
        erase=_erase_consent,
    )
    personal_data.not_personal(Market, "the brand's markets")
    personal_data.not_personal(WorkerHeartbeat, "the job worker's pulse")
