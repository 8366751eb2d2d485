"""The signed links of privacy requests: the request's id, signed with a timestamp.

Nothing secret is stored: django.core.signing checks the signature and the
age (PRIVACY_LINK_SECONDS, a day by default), the request's row says
whether the link was already used.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

_SALT = "trunkshow.privacy.request"


class LinkExpired(Exception):
    """The signature is good but older than PRIVACY_LINK_SECONDS: 410."""


class LinkInvalid(Exception):
    """Not a link we signed: 404."""


def link_token(request_id: int) -> str:
    return signing.dumps({"r": request_id}, salt=_SALT, compress=False)


def request_id_from(token: str) -> int:
    """Return the request id a token names; raise LinkExpired or LinkInvalid."""
    if len(token) > 200:
        raise LinkInvalid(token[:20])
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.PRIVACY_LINK_SECONDS)
    except signing.SignatureExpired as exc:
        raise LinkExpired(token[:20]) from exc
    except signing.BadSignature as exc:
        raise LinkInvalid(token[:20]) from exc
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        raise LinkInvalid(token[:20])
    return int(data["r"])


def confirm_path(token: str, language: str) -> str:
    return f"/{language}/privacy/requests/{token}/"


def confirm_url(token: str, language: str) -> str:
    return settings.SITE_URL + confirm_path(token, language)
