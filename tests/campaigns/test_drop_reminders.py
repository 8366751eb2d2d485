"""'Remind me' sends nothing until a drop opens, then one e-mail per shopper, by the worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import campaign
from trunkshow.campaigns.models import ReminderSignup
from trunkshow.campaigns.reminders import drop_reminders_send
from trunkshow.campaigns.services import drop_add, reminder_sign_up
from trunkshow.common.consent import consent_record
from trunkshow.common.errors import Conflict


def run_worker() -> None:
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--interval", "0", "--no-startup-delay"
    )


@pytest.mark.django_db(transaction=True)
def test_a_reminder_is_mailed_by_the_worker_when_the_drop_opens_and_only_once(store):
    # Given a shopper who asked, in Chinese, to be reminded of a campaign with a drop
    now = timezone.now()
    c = campaign(windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=1))})
    assert reminder_sign_up(slug=c.slug, market_code="CN", email="mei@example.com",
                            locale="zh-Hans")  # fmt: skip
    drop = drop_add(
        campaign=c, titles={"en": "The red tote", "zh-Hans": "红色托特包"},
        opens_at=now + timedelta(minutes=10), skus=["TOTE-1"], quantity=3, per_shopper_limit=1,
    )  # fmt: skip
    # When the worker runs before the drop opens, nothing is sent
    run_worker()
    assert mail.outbox == []
    assert drop_reminders_send(drop_id=drop.pk) == 0
    # When the drop has opened, the job sends one e-mail in the shopper's language
    assert drop_reminders_send(drop_id=drop.pk, now=drop.opens_at) == 1
    [message] = mail.outbox
    assert message.to == ["mei@example.com"]
    assert "红色托特包" in message.subject
    assert f"/zh-hans/campaigns/{c.slug}/" in message.body
    # and a second run of the job mails nobody twice
    assert drop_reminders_send(drop_id=drop.pk, now=drop.opens_at) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_job_enqueued_for_the_opening_instant_sends_through_the_queue(store):
    # Given a shopper signed up and a drop that opened a second ago
    now = timezone.now()
    c = campaign(windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=1))})
    reminder_sign_up(slug=c.slug, market_code="CN", email="lin@example.com", locale="en")
    drop_add(
        campaign=c, titles={"en": "The red tote"}, opens_at=now - timedelta(seconds=1),
        skus=["TOTE-1"], quantity=3, per_shopper_limit=1,
    )  # fmt: skip
    # When the worker runs the queue
    run_worker()
    # Then the reminder went out, in English
    [message] = mail.outbox
    assert message.subject == "The drop is open: The red tote"


@pytest.mark.django_db(transaction=True)
def test_reminders_follow_each_visitors_personalisation_choice_when_the_drop_opens(store):
    # Given four sign-ups: one from a visitor who later refused personalisation, one
    # who allowed it, one who never chose, and one from before visitors were kept
    now = timezone.now()
    c = campaign(windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=1))})
    for email, visitor in [("refused@example.com", "v-refused"), ("yes@example.com", "v-yes"),
                           ("undecided@example.com", "v-undecided")]:  # fmt: skip
        assert reminder_sign_up(
            slug=c.slug, market_code="CN", email=email, locale="en", visitor_id=visitor
        )
    ReminderSignup.objects.create(campaign=c, market_id="CN", email="old@example.com", locale="en")
    consent_record(visitor_id="v-refused", analytics=True, personalisation=False, source="banner")
    consent_record(visitor_id="v-yes", analytics=False, personalisation=True, source="banner")
    drop = drop_add(
        campaign=c, titles={"en": "The red tote"}, opens_at=now + timedelta(minutes=10),
        skus=["TOTE-1"], quantity=3, per_shopper_limit=1,
    )  # fmt: skip
    # When the drop opens and the job runs
    assert drop_reminders_send(drop_id=drop.pk, now=drop.opens_at) == 3
    # Then everyone but the one who refused is mailed
    mailed = sorted(to for message in mail.outbox for to in message.to)
    assert mailed == ["old@example.com", "undecided@example.com", "yes@example.com"]
    # And a refusal withdrawn before the next drop means that drop's mail goes out
    consent_record(visitor_id="v-refused", analytics=True, personalisation=True, source="api")
    later = drop_add(
        campaign=c, titles={"en": "The blue tote"}, opens_at=now + timedelta(minutes=20),
        skus=["TOTE-1"], quantity=3, per_shopper_limit=1,
    )  # fmt: skip
    assert drop_reminders_send(drop_id=later.pk, now=later.opens_at) == 4
    assert "refused@example.com" in [m.to[0] for m in mail.outbox[-4:]]


@pytest.mark.django_db(transaction=True)
def test_a_visitor_who_refused_personalisation_cannot_sign_up_and_nothing_is_kept(store):
    # Given a visitor who refused personalisation in the banner
    now = timezone.now()
    c = campaign(windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=1))})
    consent_record(visitor_id="v-no", analytics=False, personalisation=False, source="banner")
    # When they ask to be reminded
    with pytest.raises(Conflict) as refused:
        reminder_sign_up(
            slug=c.slug, market_code="CN", email="no@example.com", locale="en", visitor_id="v-no"
        )
    # Then it is refused by name and their address is not stored
    assert refused.value.code == "consent_refused"
    assert not ReminderSignup.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_signing_up_again_from_another_browser_takes_that_browsers_choice(store):
    # Given an address signed up from a browser that later refused personalisation
    now = timezone.now()
    c = campaign(windows={"CN": (now - timedelta(minutes=5), now + timedelta(hours=1))})
    reminder_sign_up(slug=c.slug, market_code="CN", email="mei@example.com", locale="en",
                     visitor_id="v-laptop")  # fmt: skip
    consent_record(visitor_id="v-laptop", analytics=False, personalisation=False, source="banner")
    # When the same person signs up again from their phone, which allows it
    created = reminder_sign_up(slug=c.slug, market_code="CN", email="Mei@example.com",
                               locale="en", visitor_id="v-phone")  # fmt: skip
    # Then the one sign-up now follows the phone's (newest) choice
    assert created is False
    assert ReminderSignup.objects.get().visitor_id == "v-phone"
