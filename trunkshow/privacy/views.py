"""The privacy page, the consent banner's form, and the page an e-mailed link opens."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from trunkshow.common.consent import consent_set_for_request, request_consent
from trunkshow.common.errors import Gone, NotFound
from trunkshow.common.locales import current_locale
from trunkshow.common.ratelimits import count_key, limited_response
from trunkshow.common.visitors import visitor_id
from trunkshow.privacy import links, services
from trunkshow.privacy.exports import export_dir
from trunkshow.privacy.models import PrivacyRequest


@require_POST
def consent_save(request: HttpRequest) -> HttpResponse:
    necessary_only = request.POST.get("choice") == "necessary"
    consent_set_for_request(
        request,
        analytics=not necessary_only and request.POST.get("analytics") == "1",
        personalisation=not necessary_only and request.POST.get("personalisation") == "1",
        source=str(request.POST.get("source", "banner"))[:32],
    )
    target = str(request.POST.get("next", ""))
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("privacy")
    messages.success(
        request, gettext("Your choice is saved. You can change it on the privacy page.")
    )
    return HttpResponseRedirect(target)


def privacy_page(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/page.html", {"consent_now": request_consent(request)})


def email_limited(request: HttpRequest, email: str) -> int:
    """Count a request for `email`; seconds to wait when it asked too often, else 0."""
    if not email:
        return 0
    return count_key(
        request, group="privacy-email", key=email.strip().lower(), rate=settings.PRIVACY_EMAIL_RATE
    )


@require_POST
def request_create(request: HttpRequest) -> HttpResponse:
    kind = str(request.POST.get("kind", ""))
    email = str(request.POST.get("email", "")).strip()[:254]
    errors: dict[str, str] = {}
    if kind not in PrivacyRequest.Kind.values:
        errors["kind"] = gettext("Choose export or erase.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = gettext("Enter a valid e-mail address.")
    if errors:
        context = {"consent_now": request_consent(request), "errors": errors, "email": email}
        return render(request, "privacy/page.html", context, status=422)
    wait = email_limited(request, email)
    if wait:
        return limited_response(request, wait)
    made = services.privacy_request_create(
        kind=kind,
        email=email,
        visitor_id=visitor_id(request),
        locale=current_locale(),
        requested_by="page",
    )
    context = {"consent_now": request_consent(request), "sent": bool(email)}
    if not email:
        # No e-mail: this browser is the proof, so the link is shown to it.
        context["link"] = links.confirm_path(links.link_token(made.pk), request.LANGUAGE_CODE)
    return render(request, "privacy/page.html", context, status=202)


@require_http_methods(["GET", "POST"])
def request_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET says what will happen (mail scanners open links); POST confirms."""
    try:
        found = services.request_for_link(token)
        if request.method == "POST" and found.status not in services.USED:
            found = services.privacy_request_confirm(token=token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except Gone:
        return render(request, "privacy/gone.html", status=410)
    status = 202 if request.method == "POST" else 200
    return render(
        request,
        "privacy/request.html",
        {"found": found, "token": token, "used": found.status in services.USED},
        status=status,
    )


def request_download(request: HttpRequest, token: str) -> HttpResponse | FileResponse:
    try:
        found = services.request_for_link(token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except Gone:
        return render(request, "privacy/gone.html", status=410)
    if found.kind != PrivacyRequest.Kind.EXPORT or not found.export_file:
        raise Http404("The export is not ready.")
    path: Path = export_dir() / found.export_file
    if not path.exists():
        return render(request, "privacy/gone.html", status=410)
    return FileResponse(path.open("rb"), as_attachment=True, filename="trunkshow-data.zip")
