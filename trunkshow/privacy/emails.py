from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext, override

from trunkshow.common.locales import to_django
from trunkshow.privacy import links
from trunkshow.privacy.models import PrivacyRequest


def privacy_link_mail(request: PrivacyRequest, token: str) -> None:
    """E-mail the signed link in the shopper's language."""
    language = to_django(request.locale)
    with override(language):
        if request.kind == PrivacyRequest.Kind.ERASE:
            subject = gettext("Confirm the erasure of your Trunk Show data")
        else:
            subject = gettext("Your Trunk Show data export")
        body = render_to_string(
            "privacy/email/link.txt",
            {
                "kind": request.kind,
                "url": links.confirm_url(token, language),
                "hours": settings.PRIVACY_LINK_SECONDS // 3600,
            },
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [request.email])
