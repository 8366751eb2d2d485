"""One error shape for the whole API.

422s keep django-ninja's own shape (`detail` as a list of {loc, msg, type})
so a client handles schema errors and domain errors alike; every error also
carries a one-line `message` a person can read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from django.utils.translation import gettext

from trunkshow.common.errors import (
    Conflict,
    DomainError,
    Gone,
    Invalid,
    NotFound,
    PaymentDeclined,
    Unavailable,
)
from trunkshow.common.locales import normalize_locale, supported_locales
from trunkshow.common.models import Market
from trunkshow.common.selectors import active_markets, default_market, market_by_code


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, detail: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        # More top-level fields of the body (e.g. the short lines of a 409).
        self.extra: dict[str, Any] = {}

    @classmethod
    def unprocessable(cls, errors: Sequence[tuple[list[str], str]]) -> ApiError:
        detail = [{"loc": loc, "msg": msg, "type": "value_error"} for loc, msg in errors]
        return cls(422, "invalid", " ".join(msg for _loc, msg in errors), detail)

    @classmethod
    def from_domain(cls, exc: DomainError, *, where: str = "body") -> ApiError:
        """The API's answer to a domain error: its status by kind, its fields under `where`
        (a field path that already names its place, like ("header", ...), keeps it)."""
        status = next((code for kind, code in _STATUS_OF if isinstance(exc, kind)), 400)
        detail = None
        if isinstance(exc, Invalid):
            detail = [
                {"loc": list(path) if path[:1] in (("header",), ("query",), ("path",))
                 else [where, *path], "msg": message, "type": "value_error"}
                for path, message in exc.errors
            ]  # fmt: skip
        error = cls(status, exc.code, exc.message, detail)
        error.extra = dict(exc.extra)
        return error

    def answer(self) -> tuple[int, dict[str, Any]]:
        return self.status, self.body()

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.detail is not None:
            body["detail"] = self.detail
        body.update(self.extra)
        return body


# The first kind an error is an instance of gives its status.
_STATUS_OF: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (Invalid, 422),
    (PaymentDeclined, 402),
    (Conflict, 409),
    (Gone, 410),
    (Unavailable, 503),
]


def unknown_market_message(market: str, known: str) -> str:
    return gettext("Unknown market %(market)s; known markets: %(known)s.") % {
        "market": repr(market[:16]),
        "known": known,
    }


def unknown_locale_message(locale: str, known: str) -> str:
    return gettext("Unknown locale %(locale)s; known locales: %(known)s.") % {
        "locale": repr(locale[:35]),
        "known": known,
    }


def resolve_market(
    market: str | None, locale: str | None, *, where: str = "query"
) -> tuple[Market, str]:
    """Return a valid (market code, locale) or raise one 422 naming every bad parameter,
    as found `where` ("query" or "body")."""
    errors = []
    market_row = None
    if market is not None:
        market_row = market_by_code(market) if len(market) <= 16 else None
        if market_row is None:
            known = ", ".join(m.code for m in active_markets())
            errors.append(([where, "market"], unknown_market_message(market, known)))
    resolved_locale = None
    if locale is not None:
        resolved_locale = normalize_locale(locale) if len(locale) <= 35 else None
        if resolved_locale is None:
            known = ", ".join(supported_locales())
            errors.append(([where, "locale"], unknown_locale_message(locale, known)))
    if errors:
        raise ApiError.unprocessable(errors)
    if market_row is None:
        market_row = default_market(locale=resolved_locale)
    if market_row is None:
        raise ApiError(503, "no_market", gettext("No market is configured yet."))
    return market_row, resolved_locale or market_row.default_locale


def resolve_market_and_locale(market: str | None, locale: str | None) -> tuple[str, str]:
    market_row, resolved_locale = resolve_market(market, locale)
    return market_row.code, resolved_locale


def api_json_body(request: Any, *, status: int = 422) -> Any:
    """The request body as strict JSON (RFC 8259: no NaN/Infinity, UTF-8 without lone
    surrogates), or an error of `status` naming what is wrong with it."""
    import json

    def bad_json(message: str) -> ApiError:
        if status == 422:
            return ApiError.unprocessable([(["body"], message)])
        return ApiError(status, "bad_json", message, [{"loc": ["body"], "msg": message,
                                                       "type": "json_invalid"}])  # fmt: skip

    body = request.body
    if body.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte-order mark, as json took it
        body = body[3:]
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    else:
        # A NUL in text is valid JSON, but no PostgreSQL text column stores it.
        if b"\\u0000" in body and _holds_nul(data):
            # Well-formed JSON with a value no column takes: a 422, as for
            # any other value refused, never the 400 of a malformed body.
            message = gettext("Text in the body must not contain NUL characters.")
            raise ApiError.unprocessable([(["body"], message)])
        return data

    # orjson only says no; json says why. What json takes but orjson does not
    # (a lone surrogate, which no column stores; 1e400, which is infinite) is
    # refused all the same.
    def refuse(constant: str) -> None:
        raise bad_json(gettext("%(constant)s is not a JSON number.") % {"constant": constant})

    try:
        json.loads(body, parse_constant=refuse)
    except RecursionError as exc:
        raise bad_json(gettext("The JSON is nested too deeply.")) from exc
    except ValueError as exc:
        raise bad_json(
            gettext("The body is not valid JSON: %(reason)s.") % {"reason": str(exc)[:200]}
        ) from exc
    raise bad_json(
        gettext(
            "The body is not JSON this API takes: numbers must be finite, text UTF-8 without"
            " lone surrogates."
        )
    )


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        # Keys are names, compared and never stored: only values matter.
        return any(_holds_nul(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False
