"""'Remind me' sends nothing until a drop opens, then one e-mail per shopper, by the worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import campaign
from trunkshow.campaigns.reminders import drop_reminders_send
from trunkshow.campaigns.services import drop_add, reminder_sign_up


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
