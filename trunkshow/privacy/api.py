"""The privacy API: ask for an export or an erasure, confirm it by its link."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from trunkshow.common.api_errors import ApiError
from trunkshow.common.locales import current_locale, to_django
from trunkshow.common.visitors import VISITOR_HEADER, strong_visitor_id
from trunkshow.privacy import links, services
from trunkshow.privacy.views import email_limited

router = Router(tags=["privacy"])


class PrivacyRequestIn(Schema):
    kind: Literal["export", "erase"]
    email: str | None = Field(default=None, max_length=254)


@router.post(
    "/privacy/requests",
    response={202: dict[str, Any]},
    summary="Ask for a copy of your data, or its erasure (the link comes by e-mail)",
)
def create_request(request: HttpRequest, payload: PrivacyRequestIn) -> Status[dict[str, Any]]:
    email = (payload.email or "").strip()
    # The link is answered at once to whoever holds the id: it must not be guessable.
    visitor = strong_visitor_id(request.META.get(VISITOR_HEADER)) or ""
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError as exc:
            raise ApiError.unprocessable(
                [(["body", "email"], gettext("Enter a valid e-mail address."))]
            ) from exc
    elif not visitor:
        raise ApiError.unprocessable(
            [
                (
                    ["body", "email"],
                    gettext(
                        "Give an e-mail address, or send X-Visitor-Id (at least 32 characters)."
                    ),
                )
            ]
        )
    wait = email_limited(request, email)
    if wait:
        error = ApiError(429, "rate_limited", f"Too many requests; try again in {wait} s.")
        error.extra["retry_after"] = wait
        raise error
    made = services.privacy_request_create(
        kind=payload.kind,
        email=email,
        visitor_id=visitor,
        locale=current_locale(),
        requested_by="api",
    )
    # The same answer whether or not the address is known: it cannot be used to probe.
    body: dict[str, Any] = {"status": "accepted"}
    if not email:
        # The visitor id is the proof; its holder gets the link at once.
        token = links.link_token(made.pk)
        body["token"] = token
        body["link"] = links.confirm_url(token, to_django(current_locale()))
    return Status(202, body)


@router.post(
    "/privacy/requests/{token}/confirm",
    response={202: dict[str, Any]},
    summary="Confirm a privacy request by the token of its link (a used or expired one: 410)",
)
def confirm_request(request: HttpRequest, token: str) -> Status[dict[str, Any]]:
    found = services.privacy_request_confirm(token=token)
    return Status(202, {"status": found.status, "kind": found.kind})
