"""Payment providers behind one small interface, and the built-in sandbox.

The sandbox behaves like a real card processor seen through its API: it
keeps its own ledger (SandboxCharge), is idempotent per order reference, can
be asked afterwards what happened to an order's money (reconciliation), and
signs the webhooks it sends. Tokens: `sandbox-ok` approves,
`sandbox-decline` declines; anything else is refused as an unknown token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from trunkshow.commerce.models import SandboxCharge

SIGNATURE_TOLERANCE_SECONDS = 300
# The sandbox's test tokens (public by design, like a processor's test cards).
APPROVE = "sandbox-ok"
DECLINE = "sandbox-decline"


class PaymentError(Exception):
    """The provider could not be reached or answered nonsense: try again later."""


class UnknownToken(ValueError):
    pass


class InvalidSignature(ValueError):
    pass


class UnreadableEvent(InvalidSignature):
    """Signed by the provider, but not an event we can read (not JSON, no id)."""


@dataclass(frozen=True)
class Charge:
    reference: str
    status: str  # authorized | captured | declined | refunded | voided
    amount: Decimal
    currency: str
    refunded_amount: Decimal = Decimal("0")

    @property
    def approved(self) -> bool:
        return self.status in {"authorized", "captured"}


class PaymentProvider(Protocol):
    name: str

    def authorize(
        self, *, order_ref: str, amount: Decimal, currency: str, token: str
    ) -> Charge: ...

    def capture(self, *, reference: str) -> Charge: ...

    def void(self, *, reference: str) -> Charge: ...

    def refund(self, *, reference: str, amount: Decimal) -> Charge: ...

    def lookup(self, *, order_ref: str) -> Charge | None: ...

    def verify_webhook(self, *, body: bytes, signature: str) -> dict[str, Any]: ...


def webhook_secret() -> str:
    configured = getattr(settings, "SANDBOX_WEBHOOK_SECRET", "")
    if configured:
        return str(configured)
    # Derived, not stored: a fresh install signs and checks with no setup.
    return hmac.new(settings.SECRET_KEY.encode(), b"sandbox-webhooks", hashlib.sha256).hexdigest()


def sign_webhook(body: bytes, *, timestamp: int | None = None, secret: str | None = None) -> str:
    """The Sandbox-Signature header for `body`: t=<unix time>,v1=<HMAC-SHA256>."""
    stamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(
        (secret or webhook_secret()).encode(), f"{stamp}.".encode() + body, hashlib.sha256
    )
    return f"t={stamp},v1={mac.hexdigest()}"


def _charge(row: SandboxCharge) -> Charge:
    return Charge(row.reference, row.status, row.amount, row.currency, row.refunded_amount)


class SandboxProvider:
    name = "sandbox"

    def authorize(self, *, order_ref: str, amount: Decimal, currency: str, token: str) -> Charge:
        if token not in {APPROVE, DECLINE}:
            raise UnknownToken("Use the payment token sandbox-ok or sandbox-decline.")
        # The processor's own transaction, like a call to a remote API:
        # committed whatever happens to the caller's.
        with transaction.atomic(durable=True):
            approved = SandboxCharge.objects.filter(
                order_ref=order_ref, status__in=["authorized", "captured"]
            ).first()
            if approved is not None:
                return _charge(approved)  # a retried authorization charges once
            row = SandboxCharge.objects.create(
                reference=f"sbx_{secrets.token_hex(12)}",
                order_ref=order_ref,
                amount=amount,
                currency=currency,
                status="authorized" if token == APPROVE else "declined",
            )
        return _charge(row)

    def _update(self, reference: str, **changes: Any) -> Charge:
        with transaction.atomic(durable=True):
            row = SandboxCharge.objects.select_for_update().filter(reference=reference).first()
            if row is None:
                raise PaymentError(f"No sandbox charge {reference}.")
            for field, value in changes.items():
                setattr(row, field, value)
            row.save()
        return _charge(row)

    def capture(self, *, reference: str) -> Charge:
        row = SandboxCharge.objects.filter(reference=reference).first()
        if row is not None and row.status == "captured":
            return _charge(row)
        if row is None or row.status != "authorized":
            raise PaymentError(f"Cannot capture {reference}.")
        return self._update(reference, status="captured")

    def void(self, *, reference: str) -> Charge:
        row = SandboxCharge.objects.filter(reference=reference).first()
        if row is None or row.status not in {"authorized", "voided"}:
            raise PaymentError(f"Cannot void {reference}.")
        return self._update(reference, status="voided")

    def refund(self, *, reference: str, amount: Decimal) -> Charge:
        row = SandboxCharge.objects.filter(reference=reference).first()
        if row is None or row.status not in {"captured", "refunded"}:
            raise PaymentError(f"Cannot refund {reference}.")
        refunded = min(row.amount, row.refunded_amount + amount)
        status = "refunded" if refunded >= row.amount else "captured"
        return self._update(reference, refunded_amount=refunded, status=status)

    def lookup(self, *, order_ref: str) -> Charge | None:
        rows = list(SandboxCharge.objects.filter(order_ref=order_ref).order_by("-created_at"))
        for row in rows:
            if row.status in {"captured", "authorized", "refunded"}:
                return _charge(row)
        return _charge(rows[0]) if rows else None

    def verify_webhook(self, *, body: bytes, signature: str) -> dict[str, Any]:
        parts = dict(
            item.split("=", 1) for item in signature.split(",") if "=" in item and len(item) < 200
        )
        try:
            stamp = int(parts.get("t", ""))
        except ValueError as exc:
            raise InvalidSignature("The signature has no timestamp.") from exc
        if abs(time.time() - stamp) > SIGNATURE_TOLERANCE_SECONDS:
            raise InvalidSignature("The signature is too old.")
        expected = sign_webhook(body, timestamp=stamp).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise InvalidSignature("The signature does not match.")
        try:
            event = json.loads(body)
        except ValueError as exc:
            raise UnreadableEvent("The body is not JSON.") from exc
        if not isinstance(event, dict) or not isinstance(event.get("id"), str):
            raise UnreadableEvent("The event has no id.")
        return event


def payment_provider() -> PaymentProvider:
    path = getattr(settings, "PAYMENT_PROVIDER", "trunkshow.commerce.payments.SandboxProvider")
    provider: PaymentProvider = import_string(path)()
    return provider
