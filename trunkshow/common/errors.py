"""The domain's errors: what went wrong, in words a shopper or an integrator can act on.

Services raise these and never speak HTTP; the API maps each kind to one
status and the one error shape of `common/api_errors.py`, and the pages map
them to messages beside their fields. A field is named by its path in the
input the service was given (("address", "postal_code")), never by where a
transport put it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FieldPath = tuple[str | int, ...]


class DomainError(Exception):
    """Base of every error a service raises on purpose; `code` is stable for clients."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        # More facts a client can use (the order a conflict is about, the short lines).
        self.extra = extra


class NotFound(DomainError):
    code = "not_found"


class Invalid(DomainError):
    """Input the service refuses, naming every bad field at once."""

    code = "invalid"

    def __init__(
        self, errors: Sequence[tuple[FieldPath, str]], *, code: str | None = None, **extra: Any
    ) -> None:
        self.errors = [(tuple(path), message) for path, message in errors]
        super().__init__(" ".join(message for _path, message in self.errors), code=code, **extra)

    @classmethod
    def field(cls, path: str | FieldPath, message: str, *, code: str | None = None) -> Invalid:
        return cls([((path,) if isinstance(path, str) else path, message)], code=code)


class Conflict(DomainError):
    """The request is fine but the state it meets is not (already ordered, sold out)."""

    code = "conflict"


class Gone(DomainError):
    """What the request names existed but is no longer usable (an expired ticket)."""

    code = "gone"


class PaymentDeclined(DomainError):
    code = "payment_declined"


class Unavailable(DomainError):
    """A service we depend on did not answer; the same request may work later."""

    code = "unavailable"
