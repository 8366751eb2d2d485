"""Cart, checkout and order API: works without cookies or CSRF (mini-programs).

A cart is addressed by its unguessable id, an order by its id plus the
access token its checkout returned (or the session that placed it).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import StrictInt, StrictStr

from trunkshow.analytics.models import Kind
from trunkshow.analytics.services import record_request_event
from trunkshow.commerce import carts, selectors
from trunkshow.commerce.checkout import checkout_place, order_body
from trunkshow.commerce.checkout_rules import checkout_problems
from trunkshow.commerce.idempotency import idempotent, request_fingerprint
from trunkshow.commerce.models import Cart
from trunkshow.commerce.payments import InvalidSignature, UnreadableEvent
from trunkshow.commerce.webhooks import MalformedEvent, webhook_receive
from trunkshow.common.api_errors import ApiError, resolve_market
from trunkshow.common.errors import DomainError, Invalid
from trunkshow.common.http_hygiene import bearer_token
from trunkshow.common.locales import normalize_locale
from trunkshow.common.ratelimits import client_ip
from trunkshow.common.visitors import visitor_id
from trunkshow.studio.selectors import design_by_public_id

logger = logging.getLogger(__name__)
router = Router(tags=["commerce"])
SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")


class CartIn(Schema):
    market: StrictStr = Field(max_length=16)
    locale: StrictStr | None = Field(default=None, max_length=35)


class LineIn(Schema):
    """A bag as sold (`sku`) or made to a design (`design_id`), never both."""

    sku: StrictStr | None = Field(default=None, min_length=1, max_length=64)
    design_id: StrictStr | None = Field(default=None, min_length=1, max_length=32)
    # The range is checked by carts.quantity_problem, the bag page's rule too.
    quantity: StrictInt = Field(
        json_schema_extra={"minimum": 1, "maximum": carts.MAX_LINE_QUANTITY}
    )
    # A drop's waiting-room ticket, once drops have one (campaigns).
    ticket: StrictStr | None = Field(default=None, min_length=1, max_length=500)


class LineUpdate(Schema):
    quantity: StrictInt = Field(
        json_schema_extra={"minimum": 0, "maximum": carts.MAX_LINE_QUANTITY}
    )


def _check_quantity(quantity: int, *, minimum: int) -> None:
    problem = carts.quantity_problem(quantity, minimum=minimum)
    if problem is not None:
        raise ApiError.unprocessable([(["body", "quantity"], problem)])


def _max(n: int) -> dict[str, Any]:
    # The limit is documented here and enforced by checkout_rules, in the shopper's words.
    return {"maxLength": n}


class AddressIn(Schema):
    """Types only; the market's rules (`commerce/addresses.py`) say what is required.

    `region` is the province or state; `district` (a district or county) is
    required in China, like `region`.
    """

    line1: StrictStr = Field(json_schema_extra=_max(200))
    line2: StrictStr | None = Field(default=None, json_schema_extra=_max(200))
    district: StrictStr | None = Field(default=None, json_schema_extra=_max(100))
    city: StrictStr = Field(json_schema_extra=_max(100))
    region: StrictStr | None = Field(default=None, json_schema_extra=_max(100))
    postal_code: StrictStr = Field(json_schema_extra=_max(16))
    country: StrictStr = Field(json_schema_extra=_max(2))
    phone: StrictStr = Field(json_schema_extra=_max(32))


class CheckoutIn(Schema):
    """Types only: `checkout_rules.checkout_problems` is the one rule the page shares."""

    email: StrictStr = Field(json_schema_extra=_max(254))
    name: StrictStr = Field(json_schema_extra=_max(100))
    address: AddressIn
    shipping_method: StrictStr | None = Field(default=None, json_schema_extra=_max(32))
    payment_token: StrictStr = Field(json_schema_extra=_max(64))


def _locale(cart: Cart, locale: str | None) -> str:
    resolved = normalize_locale(locale) if locale and len(locale) <= 35 else None
    if locale and resolved is None:
        _market, _ = resolve_market(None, locale)  # raises the standard 422
    return resolved or cart.locale or cart.market.default_locale


def _cart_or_404(cart_id: str) -> Cart:
    cart = selectors.cart_by_public_id(cart_id)
    if cart is None:
        raise ApiError(404, "not_found", _("No such cart."))
    return cart


def _design_line(cart: Cart, line_key: str) -> Any:
    """A line is named by its SKU, or by its design's id when it is made to a design."""
    line = cart.lines.select_related("design__template").filter(design__public_id=line_key).first()
    return line.design if line is not None else None


def _session_key(request: HttpRequest) -> str:
    session = getattr(request, "session", None)
    return (session.session_key or "") if session is not None else ""


@router.post("/carts", response={201: dict[str, Any]}, summary="Start a cart in a market")
def create_cart(request: HttpRequest, payload: CartIn) -> Status[dict[str, Any]]:
    market, locale = resolve_market(payload.market, payload.locale, where="body")
    cart = carts.cart_create(
        market=market,
        locale=locale,
        session_key=_session_key(request),
        client_address=client_ip(request),
        visitor_id=visitor_id(request),
    )
    return Status(201, selectors.cart_payload(cart, locale=locale))


@router.get("/carts/{cart_id}", summary="A cart with live prices and stock")
def get_cart(request: HttpRequest, cart_id: str, locale: str | None = None) -> dict[str, Any]:
    cart = _cart_or_404(cart_id)
    return selectors.cart_payload(cart, locale=_locale(cart, locale))


@router.post("/carts/{cart_id}/lines", response={201: dict[str, Any]}, summary="Add a bag")
def add_line(request: HttpRequest, cart_id: str, payload: LineIn) -> Status[dict[str, Any]]:
    cart = _cart_or_404(cart_id)
    _check_quantity(payload.quantity, minimum=1)
    if (payload.sku is None) == (payload.design_id is None):
        raise ApiError.unprocessable([(["body", "sku"], _("Give either sku or design_id."))])
    if payload.design_id is not None:
        design = design_by_public_id(payload.design_id)
        if design is None:
            raise ApiError.unprocessable([(["body", "design_id"], _("No such design."))])
        carts.cart_design_add(
            cart=cart, design=design, quantity=payload.quantity, ticket=payload.ticket
        )
    else:
        assert payload.sku is not None  # noqa: S101 - checked above
        if not SKU.match(payload.sku):
            raise ApiError.unprocessable([(["body", "sku"], _("Not a SKU."))])
        carts.cart_line_set(
            cart=cart, sku=payload.sku, quantity=payload.quantity, ticket=payload.ticket
        )
    record_request_event(request, Kind.ADDED_TO_CART, market=cart.market_id, ref=cart.public_id)
    return Status(201, selectors.cart_payload(cart, locale=_locale(cart, None)))


@router.patch("/carts/{cart_id}/lines/{sku}", summary="Change a line's quantity (0 removes it)")
def update_line(
    request: HttpRequest, cart_id: str, sku: str, payload: LineUpdate
) -> dict[str, Any]:
    cart = _cart_or_404(cart_id)
    _check_quantity(payload.quantity, minimum=0)
    design = _design_line(cart, sku)
    if design is None and not cart.lines.filter(sku=sku, design__isnull=True).exists():
        raise ApiError(404, "not_found", _("No such line in this cart."))
    if design is not None:
        carts.cart_design_set(cart=cart, design=design, quantity=payload.quantity)
    else:
        carts.cart_line_set(cart=cart, sku=sku, quantity=payload.quantity, add=False)
    return selectors.cart_payload(cart, locale=_locale(cart, None))


@router.delete("/carts/{cart_id}/lines/{sku}", response={204: None}, summary="Remove a line")
def delete_line(request: HttpRequest, cart_id: str, sku: str) -> Status[None]:
    cart = _cart_or_404(cart_id)
    design = _design_line(cart, sku)
    if design is not None:
        carts.cart_design_set(cart=cart, design=design, quantity=0)
    else:
        carts.cart_line_remove(cart=cart, sku=sku)
    return Status(204, None)


@router.post(
    "/carts/{cart_id}/checkout",
    response={201: dict[str, Any], 402: dict[str, Any], 409: dict[str, Any],
              422: dict[str, Any], 503: dict[str, Any]},
    summary="Pay for the cart (send an Idempotency-Key header)",
)  # fmt: skip
def checkout(request: HttpRequest, cart_id: str, payload: CheckoutIn) -> Status[dict[str, Any]]:
    cart = _cart_or_404(cart_id)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 255:
        raise ApiError.unprocessable([(["header", "Idempotency-Key"], "Use 1 to 255 characters.")])
    record_request_event(request, Kind.CHECKOUT_STARTED, market=cart.market_id, ref=cart.public_id)
    status, body = checkout_answer(
        cart=cart, key=key, payload=payload.dict(), session_key=_session_key(request)
    )
    return Status(status, body)


def checkout_answer(
    *, cart: Cart, key: str | None, payload: dict[str, Any], session_key: str
) -> tuple[int, dict[str, Any]]:
    """Checkout's answer as the API gives it (the checkout page reads the same one):
    201 and the order, or the error; once per Idempotency-Key when there is one."""

    # Refused input is answered before the key is claimed: fixed, it may be sent again.
    problems = checkout_problems(payload, market_code=cart.market_id)
    if problems:
        return ApiError.from_domain(Invalid(problems)).answer()

    def run() -> tuple[int, dict[str, Any]]:
        try:
            order = checkout_place(cart=cart, payload=payload, session_key=session_key)
        except DomainError as exc:
            return ApiError.from_domain(exc).answer()
        return 201, order_body(order)

    if key is None:
        return run()
    try:
        return idempotent(
            scope=f"checkout:{cart.public_id}", key=key,
            fingerprint=request_fingerprint(payload), run=run,
        )  # fmt: skip
    except DomainError as exc:
        return ApiError.from_domain(exc).answer()


@router.get("/orders/{order_id}", summary="An order: lines, totals, status and history")
def get_order(
    request: HttpRequest, order_id: str, token: str | None = None, locale: str | None = None
) -> dict[str, Any]:
    # The token may come as `Authorization: Bearer TOKEN`, so it need not travel in URLs.
    token = bearer_token(request) or token
    order = selectors.order_by_public_id(order_id)
    if order is None or not selectors.order_visible(order, token=token, request=request):
        raise ApiError(404, "not_found", _("No such order."))
    resolved = normalize_locale(locale) if locale and len(locale) <= 35 else None
    return selectors.order_payload(
        order, locale=resolved or order.locale, absolute=request.build_absolute_uri
    )


@router.post("/payments/sandbox/webhook", summary="Signed events from the sandbox provider")
def sandbox_webhook(request: HttpRequest) -> HttpResponse | dict[str, Any]:
    signature = request.headers.get("Sandbox-Signature", "")
    try:
        event, fresh = webhook_receive(body=request.body, signature=signature)
    except UnreadableEvent as exc:
        raise ApiError(400, "bad_event", str(exc)) from exc
    except InvalidSignature as exc:
        # Not signed by the provider: the request is not authenticated (401).
        raise ApiError(401, "bad_signature", str(exc)) from exc
    except MalformedEvent as exc:
        error = ApiError.from_domain(exc)
        error.status = 400  # what a provider reads as "do not send this again"
        raise error from exc
    except Exception as exc:
        # Not marked applied: the provider's redelivery applies it.
        logger.exception("a sandbox webhook could not be applied")
        raise ApiError(503, "not_applied", "The event was not applied; send it again.") from exc
    return {"received": event.event_id, "duplicate": not fresh}
