"""Privacy requests: ask, confirm, and the jobs that export or erase.

Asking never says whether an address is known (the answer is the same, the
work is done by a job). The link in the e-mail opens a page that says what
will happen; only its POST (or the API's confirm) starts the job, because
mail scanners open links. Each job step is idempotent and records itself
on the request, so a crashed job finishes on the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from trunkshow.common import personal_data
from trunkshow.common.errors import Gone, Invalid, NotFound
from trunkshow.common.personal_data import Subject
from trunkshow.privacy import emails, exports, links
from trunkshow.privacy.exports import export_dir
from trunkshow.privacy.models import PrivacyRequest

Status = PrivacyRequest.Status
USED = {Status.CONFIRMED, Status.DONE, Status.CLOSED, Status.NOTHING_HELD}


def privacy_request_create(
    *, kind: str, email: str, visitor_id: str, locale: str, requested_by: str
) -> PrivacyRequest:
    """Keep a request and enqueue the job that finds the data and sends the link."""
    if kind not in PrivacyRequest.Kind.values:
        raise Invalid.field("kind", "Use export or erase.")
    email = email.strip().lower()
    if not email and not visitor_id:
        raise Invalid.field("email", "Give an e-mail address.")
    with transaction.atomic():
        request = PrivacyRequest.objects.create(
            kind=kind,
            email=email,
            visitor_id=visitor_id[:64],
            locale=locale,
            requested_by=requested_by[:150],
        )
        if email:
            send_privacy_link.enqueue(request.pk)
    return request


def _subject(request: PrivacyRequest) -> Subject:
    if request.subject:
        return Subject.from_json(request.subject)
    subject = Subject(
        email=request.email, visitor_ids=[request.visitor_id] if request.visitor_id else []
    )
    for handler in personal_data.handlers():
        handler.collect(subject)
    return subject


def holds_anything(subject: Subject) -> bool:
    return any(subject.keys.values())


def privacy_link_send(*, request_id: int, send: Callable[[PrivacyRequest, str], None]) -> str:
    """Send the link once, if anything is held about the address; say what was done."""
    request = PrivacyRequest.objects.get(pk=request_id)
    if request.status != Status.REQUESTED:
        return request.status
    subject = _subject(request)
    if not holds_anything(subject):
        # No mail to an address we know nothing about: the form cannot be
        # used to send mail to strangers, and the API answered alike.
        PrivacyRequest.objects.filter(pk=request.pk).update(status=Status.NOTHING_HELD)
        return Status.NOTHING_HELD
    send(request, links.link_token(request.pk))
    PrivacyRequest.objects.filter(pk=request.pk, status=Status.REQUESTED).update(
        status=Status.LINK_SENT
    )
    return Status.LINK_SENT


def request_for_link(token: str) -> PrivacyRequest:
    """Return the request a link names; raise NotFound, or Gone when expired or closed."""
    try:
        request_id = links.request_id_from(token)
    except links.LinkExpired as exc:
        raise Gone("This link has expired; ask again from the privacy page.") from exc
    except links.LinkInvalid as exc:
        raise NotFound("No such privacy request.") from exc
    request = PrivacyRequest.objects.filter(pk=request_id).first()
    if request is None:
        raise NotFound("No such privacy request.")
    if request.status == Status.CLOSED or (
        request.kind == PrivacyRequest.Kind.ERASE and request.status == Status.DONE
    ):
        raise Gone("This request was closed: the data it was about has been erased.")
    return request


def privacy_request_confirm(*, token: str) -> PrivacyRequest:
    """Confirm a request by its link and enqueue its job; a used link is Gone."""
    request = request_for_link(token)
    with transaction.atomic():
        locked = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status in USED:
            raise Gone("This link was already used.")
        locked.status = Status.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
        run_privacy_request.enqueue(locked.pk)
    return locked


def privacy_request_run(
    *, request_id: int, build_export: Callable[[PrivacyRequest, Subject], str]
) -> str:
    """Do a confirmed request's work; safe to run again after a crash."""
    request = PrivacyRequest.objects.get(pk=request_id)
    if request.status != Status.CONFIRMED:
        return request.status
    if not request.subject:
        request.subject = _subject(request).to_json()
        request.save(update_fields=["subject"])
    subject = Subject.from_json(request.subject)
    if request.kind == PrivacyRequest.Kind.EXPORT:
        name = build_export(request, subject)
        PrivacyRequest.objects.filter(pk=request.pk).update(
            export_file=name, status=Status.DONE, completed_at=timezone.now()
        )
        return Status.DONE
    done = list(request.steps_done)
    # Erase from the top of the data down: what refers to a thing goes first.
    for handler in reversed(personal_data.handlers()):
        if handler.name in done:
            continue
        with transaction.atomic():
            handler.erase(subject)
            done.append(handler.name)
            PrivacyRequest.objects.filter(pk=request.pk).update(steps_done=done)
    _close_subject(request, subject)
    return Status.DONE


def _close_subject(request: PrivacyRequest, subject: Subject) -> None:
    """Forget who asked: blank this and every other request of the same shopper."""
    same = PrivacyRequest.objects.exclude(pk=request.pk)
    others = same.none()
    if subject.email:
        others = others | same.filter(email=subject.email)
    if subject.visitor_ids:
        others = others | same.filter(visitor_id__in=subject.visitor_ids)
    with transaction.atomic():
        for other in others.select_for_update():
            if other.export_file:
                (export_dir() / other.export_file).unlink(missing_ok=True)
        others.update(status=Status.CLOSED, email="", visitor_id="", subject={}, export_file="")
        PrivacyRequest.objects.filter(pk=request.pk).update(
            status=Status.DONE,
            completed_at=timezone.now(),
            email="",
            visitor_id="",
            subject={},
        )


def privacy_requests_resume(*, older_than_seconds: float = 600) -> int:
    """Enqueue again the confirmed requests a crashed worker left; return how many."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    stuck = list(
        PrivacyRequest.objects.filter(status=Status.CONFIRMED, confirmed_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for pk in stuck:
        run_privacy_request.enqueue(pk)
    return len(stuck)


def export_files_purge() -> int:
    """Delete export ZIPs whose link has expired; return how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.PRIVACY_LINK_SECONDS)
    old = PrivacyRequest.objects.filter(created_at__lt=cutoff).exclude(export_file="")
    count = 0
    for request in old:
        (export_dir() / request.export_file).unlink(missing_ok=True)
        count += 1
    old.update(export_file="")
    return count


@task()
def send_privacy_link(request_id: int) -> str:
    return privacy_link_send(request_id=request_id, send=emails.privacy_link_mail)


@task()
def run_privacy_request(request_id: int) -> str:
    return privacy_request_run(request_id=request_id, build_export=exports.export_build)
