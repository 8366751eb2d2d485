"""The one rule for what a checkout may be asked to charge.

The API (`POST /api/v1/carts/{id}/checkout`) and the checkout page both hand
their input to `checkout_problems` (through the checkout service), so the
page can never accept what the API refuses, and both say why in the same
words, in the shopper's language. The API's schema only checks types.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _

from trunkshow.commerce.addresses import address_problems, clean_address
from trunkshow.common.errors import FieldPath

LIMITS = {"email": 254, "name": 100, "shipping_method": 32, "payment_token": 64}

# Django's own address check, with no bare host names ("lin@localhost" cannot get mail here).
_email = EmailValidator(allowlist=[])


def _text(payload: dict[str, Any], key: str) -> str:
    value = payload.get(key)
    return value.strip() if isinstance(value, str) else ""


def checkout_problems(payload: dict[str, Any], *, market_code: str) -> list[tuple[FieldPath, str]]:
    """Return (field path, message) for every reason to refuse this checkout's input,
    in the order the checkout page shows the fields."""
    problems: list[tuple[FieldPath, str]] = []
    email = _text(payload, "email")
    if not email:
        problems.append((("email",), _("Enter your email address.")))
    elif len(email) > LIMITS["email"]:
        problems.append((("email",), _("At most %(n)s characters.") % {"n": LIMITS["email"]}))
    else:
        try:
            _email(email)
        except ValidationError:
            problems.append(
                (
                    ("email",),
                    _("Enter an email address that can receive mail, e.g. lin@example.com."),
                )
            )
    name = _text(payload, "name")
    if not name:
        problems.append((("name",), _("Enter your name.")))
    elif len(name) > LIMITS["name"]:
        problems.append((("name",), _("At most %(n)s characters.") % {"n": LIMITS["name"]}))
    raw_address = payload.get("address")
    address = clean_address(raw_address if isinstance(raw_address, dict) else {})
    problems += [
        (("address", name), message)
        for name, message in address_problems(address, market_code=market_code)
    ]
    if len(_text(payload, "shipping_method")) > LIMITS["shipping_method"]:
        problems.append((("shipping_method",), _("Choose a delivery option.")))
    token = _text(payload, "payment_token")
    if not token or len(token) > LIMITS["payment_token"]:
        problems.append((("payment_token",), _("Choose a payment method.")))
    return problems
