"""One error shape for the whole API.

422s keep django-ninja's own shape (`detail` as a list of {loc, msg, type})
so a client handles schema errors and domain errors alike; every error also
carries a one-line `message` a person can read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, detail: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail

    @classmethod
    def unprocessable(cls, errors: Sequence[tuple[list[str], str]]) -> ApiError:
        detail = [{"loc": loc, "msg": msg, "type": "value_error"} for loc, msg in errors]
        return cls(422, "invalid", " ".join(msg for _loc, msg in errors), detail)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.detail is not None:
            body["detail"] = self.detail
        return body
