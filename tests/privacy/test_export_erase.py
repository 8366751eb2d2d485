"""Export finds everything held about a shopper; erase removes it, resumably."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail, serializers
from django.db.models import Sum

from tests.jobs import run_queued_jobs
from tests.privacy.conftest import EMAIL, NAME, ORDER_NAME, STREET, VISITOR, api
from trunkshow.campaigns.models import ReminderSignup
from trunkshow.commerce.models import Order
from trunkshow.common import personal_data
from trunkshow.privacy.models import PrivacyRequest

pytestmark = pytest.mark.django_db(transaction=True)


def ask(client, kind, **headers):
    response = api(client, "/api/v1/privacy/requests", {"kind": kind, "email": EMAIL}, **headers)
    assert response.status_code == 202
    run_queued_jobs("default")
    return _token_from(mail.outbox[-1].body)


def _token_from(body: str) -> str:
    url = next(line for line in body.splitlines() if "/privacy/requests/" in line)
    return url.rstrip("/").rsplit("/", 1)[1]


def confirm(client, token):
    return client.post(
        f"/api/v1/privacy/requests/{token}/confirm", content_type="application/json",
        REMOTE_ADDR="10.9.0.2",
    )  # fmt: skip


def everything_stored() -> bytes:
    """Every row of every table, and every file under MEDIA_ROOT and PRIVATE_ROOT."""
    dump = b"".join(
        serializers.serialize("json", model.objects.all()).encode() for model in apps.get_models()
    )
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_ROOT):
        for path in Path(root).rglob("*"):
            if path.is_file():
                dump += path.read_bytes()
    return dump


def test_the_export_holds_every_kind_of_personal_data_and_the_files(client, shopper):
    # Given a shopper with one of everything, who asks with their e-mail from their browser
    token = ask(client, "export", HTTP_X_VISITOR_ID=VISITOR)

    # When they open the link (nothing happens on GET) and confirm
    page = client.get(f"/en/privacy/requests/{token}/")
    assert page.status_code == 200
    assert PrivacyRequest.objects.get().status == "link_sent"
    assert confirm(client, token).status_code == 202
    run_queued_jobs("default")

    # Then the ZIP has a section for every registered kind of data, with their rows
    download = client.get(f"/en/privacy/requests/{token}/download/")
    assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    data = json.loads(archive.read("data.json"))["data"]
    assert data["quiz_results"][0]["name"] == NAME
    assert data["quiz_results"][0]["answers"]
    assert data["video_messages"][0]["name"] == NAME
    assert data["designs"][0]["document"]["monogram"] == "LJ"
    assert data["orders"][0]["email"] == EMAIL and data["orders"][0]["name"] == ORDER_NAME
    assert data["orders"][0]["address"]["line1"] == STREET
    assert len(data["carts"]) == 2
    assert data["consent_history"][0]["analytics"] is True
    assert data["remind_me"][0]["email"] == EMAIL
    assert data["remind_me"][0]["visitor_id"] == VISITOR
    assert data["made_for_you"] == [] or data["made_for_you"][0]["order"]
    names = archive.namelist()
    assert {"data.json", "summary.txt"} <= set(names)
    assert sum(name.startswith("files/video/") for name in names) == 3
    assert sum(name.startswith("files/designs/") for name in names) == 1
    assert "quiz_results: 1" in archive.read("summary.txt").decode()
    # And a used link cannot be confirmed again
    assert confirm(client, token).status_code == 410


def test_a_request_by_visitor_id_alone_finds_the_remind_me_sign_ups_of_that_browser(shopper):
    # Given a shopper whose browser signed up for reminders (the fixture's entry)
    subject = personal_data.Subject(visitor_ids=[VISITOR])
    campaigns = next(h for h in personal_data.handlers() if h.name == "campaigns")
    # When a request made with the visitor id alone (no e-mail) is collected and exported
    campaigns.collect(subject)
    part = campaigns.export(subject)
    # Then the sign-up is in it, and erasing removes it
    assert [row["email"] for row in part.sections["remind_me"]] == [EMAIL]
    campaigns.erase(subject)
    assert not ReminderSignup.objects.exists()


def test_every_model_with_a_personal_field_is_covered_by_the_registry():
    personal = {"email", "name", "address", "visitor_id", "session_key", "client_address",
                "holder", "answers", "document", "snapshot", "phone"}  # fmt: skip
    covered = personal_data.covered_models() | set(personal_data.declared_not_personal())
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("trunkshow.")
        and personal & {f.name for f in model._meta.get_fields()}
        and model not in covered
    ]
    assert missing == []


def _erase(client, monkeypatch=None, fail_at=None):
    token = ask(client, "erase", HTTP_X_VISITOR_ID=VISITOR)
    assert confirm(client, token).status_code == 202
    if fail_at is not None:
        handler = next(h for h in personal_data.handlers() if h.name == fail_at)

        def crash(subject):
            handler.erase(subject)
            raise RuntimeError("worker killed")

        monkeypatch.setitem(
            personal_data._HANDLERS, fail_at, personal_data.Handler(
                handler.name, handler.order, handler.models, handler.collect, handler.export, crash
            ),
        )  # fmt: skip
        run_queued_jobs("default")  # the job fails after this step
        assert PrivacyRequest.objects.get().status == "confirmed"
        monkeypatch.setitem(personal_data._HANDLERS, fail_at, handler)
        from trunkshow.privacy.services import run_privacy_request

        run_privacy_request.call(PrivacyRequest.objects.get().pk)
    run_queued_jobs("default")
    return token


def _assert_erased(client, token, totals_before):
    stored = everything_stored()
    for needle in (EMAIL, NAME, ORDER_NAME, STREET, VISITOR):
        assert needle.encode() not in stored, needle
        assert json.dumps(needle)[1:-1].encode() not in stored, needle  # as JSON escapes
    # The books still add up: the paid order keeps its amounts and dates
    order = Order.objects.get()
    assert order.status == "paid" and order.paid_at is not None
    assert Order.objects.aggregate(t=Sum("total"))["t"] == totals_before
    # Old links answer 410; staff see a completed request with no person in it
    assert confirm(client, token).status_code == 410
    assert client.get(f"/en/privacy/requests/{token}/").status_code == 410
    done = PrivacyRequest.objects.get()
    assert done.status == "done" and done.completed_at is not None and done.email == ""


def test_erase_removes_the_person_from_every_table_and_file(client, shopper):
    totals = Order.objects.aggregate(t=Sum("total"))["t"]
    for path in shopper.files:
        assert path.exists()
    token = _erase(client)
    _assert_erased(client, token, totals)


@pytest.mark.parametrize(
    "step", ["privacy", "atelier", "campaigns", "video", "quiz", "studio", "commerce", "consent"]
)
def test_an_erase_interrupted_after_any_step_finishes_on_the_next_run(
    client, shopper, monkeypatch, step
):
    totals = Order.objects.aggregate(t=Sum("total"))["t"]
    token = _erase(client, monkeypatch, fail_at=step)
    _assert_erased(client, token, totals)
