""" "Remind me": a shopper who left an e-mail hears from us when a drop opens, never before.

Saving a drop enqueues one job to run at its opening instant; the job mails every
shopper who signed up for the campaign in a market where it runs, in the language
they signed up in. A drop moved later finds its early job doing nothing (the save
that moved it enqueued another), and a job run twice mails nobody twice.

Consent (issue 27, point 1): a reminder is a message the brand pushes to one person
about its campaign, so it follows the consent banner's "personalisation" choice
(PIPL art. 24 gives the right to refuse information pushed to a person; "analytics"
is about counting, not contacting). The sign-up keeps the visitor who made it, and
the job reads that visitor's choice when the drop opens: refused then, no mail
(and not marked sent, so a shopper who allows it again hears of the next drop).
Sign-ups from before the rule carry no visitor and count as undecided: sent.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from trunkshow.campaigns.models import Drop, ReminderSent
from trunkshow.common.consent import Purpose, consents_of
from trunkshow.common.locales import localized, to_django

REMINDER_PURPOSE: Purpose = "personalisation"


def drop_reminders_schedule(*, drop: Drop) -> None:
    """Enqueue the drop's reminders for its opening instant, once the save commits."""
    drop_id, at = drop.pk, drop.opens_at
    transaction.on_commit(lambda: send_drop_reminders.using(run_after=at).enqueue(drop_id))


def drop_reminders_send(*, drop_id: int, now: datetime | None = None) -> int:
    """Mail the drop's reminders if it has opened; return how many were sent now."""
    drop = Drop.objects.select_related("campaign").filter(pk=drop_id).first()
    if drop is None or drop.opens_at > (now or timezone.now()):
        return 0
    markets = list(drop.campaign.windows.values_list("market_id", flat=True))
    signups = list(drop.campaign.reminders.filter(market_id__in=markets))
    consents = consents_of(s.visitor_id for s in signups if s.visitor_id)
    sent = 0
    for signup in signups:
        if signup.visitor_id and not consents[signup.visitor_id].allows(REMINDER_PURPOSE):
            continue  # refused: no mail
        try:
            with transaction.atomic():
                ReminderSent.objects.create(signup=signup, drop=drop)
        except IntegrityError:
            continue  # mailed by an earlier run of this job
        with override(to_django(signup.locale)):
            title = localized(drop.titles, signup.locale)
            url = settings.SITE_URL + reverse("campaign", args=[drop.campaign.slug])
            send_mail(
                subject=_("The drop is open: %(title)s") % {"title": title},
                message=_(
                    "You asked us to remind you: the drop “%(title)s” is open now, while "
                    "stock lasts.\n\n%(url)s\n\nYou will not hear from us about this "
                    "campaign again after its last drop."
                )
                % {"title": title, "url": url},
                from_email=None,
                recipient_list=[signup.email],
            )
        sent += 1
    return sent


@task()
def send_drop_reminders(drop_id: int) -> int:
    return drop_reminders_send(drop_id=drop_id)
