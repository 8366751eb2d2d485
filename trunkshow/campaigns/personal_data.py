"""Remind-me sign-ups (by e-mail) and drop tickets (taken for one of the shopper's carts)."""

from __future__ import annotations

from trunkshow.campaigns.models import (
    Campaign,
    CampaignText,
    CampaignWindow,
    Drop,
    DropItem,
    DropTicket,
    ReminderSignup,
    StaffApiToken,
    Stream,
    StreamPin,
)
from trunkshow.common.personal_data import ExportPart, Subject, not_personal, register


def collect(subject: Subject) -> None:
    if subject.email:
        subject.add(
            "reminders",
            ReminderSignup.objects.filter(email__iexact=subject.email).values_list("pk", flat=True),
        )
    if subject.visitor_ids:  # sign-ups made from the shopper's browser (or API client)
        subject.add(
            "reminders",
            ReminderSignup.objects.filter(visitor_id__in=subject.visitor_ids).values_list(
                "pk", flat=True
            ),
        )
    subject.add(
        "drop_tickets",
        DropTicket.objects.filter(holder__in=subject.get("carts")).values_list("pk", flat=True),
    )


def export(subject: Subject) -> ExportPart:
    reminders = ReminderSignup.objects.filter(pk__in=subject.get("reminders")).select_related(
        "campaign"
    )
    tickets = DropTicket.objects.filter(pk__in=subject.get("drop_tickets"))
    return ExportPart(
        sections={
            "remind_me": [
                {
                    "campaign": r.campaign.slug,
                    "email": r.email,
                    "market": r.market_id,
                    "locale": r.locale,
                    "visitor_id": r.visitor_id,
                    "created_at": r.created_at,
                }
                for r in reminders
            ],
            "drop_tickets": [
                {"ticket": t.pk, "drop": t.drop_id, "cart": t.holder, "created_at": t.created_at}
                for t in tickets
            ],
        }
    )


def erase(subject: Subject) -> None:
    ReminderSignup.objects.filter(pk__in=subject.get("reminders")).delete()
    # A ticket's place in the queue is kept (the others' positions hold), without its holder.
    DropTicket.objects.filter(pk__in=subject.get("drop_tickets")).update(holder="")


def register_handler() -> None:
    register(
        name="campaigns",
        order=60,
        models=[ReminderSignup, DropTicket],
        collect=collect,
        export=export,
        erase=erase,
    )
    for model in (Campaign, CampaignText, CampaignWindow, Drop, DropItem, Stream, StreamPin):
        not_personal(model, "the brand's campaign content")
    not_personal(StaffApiToken, "staff credentials, not a shopper's")
