"""The shopper's bag, checkout and order pages (the site's own face of the commerce API).

The site keeps the shopper's cart id in the session; every form is a plain
POST with CSRF, so it works without JavaScript.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from trunkshow.analytics.models import Kind
from trunkshow.analytics.services import record_request_event
from trunkshow.catalog.selectors import offers_by_sku
from trunkshow.commerce import carts, selectors
from trunkshow.commerce.addresses import AUTOCOMPLETE, FIELD_LIMITS, GENERIC, country_rules
from trunkshow.commerce.api import checkout_answer
from trunkshow.commerce.checkout_rules import LIMITS
from trunkshow.commerce.models import Cart
from trunkshow.common.errors import DomainError
from trunkshow.common.locales import current_locale
from trunkshow.common.middleware import request_market
from trunkshow.common.ratelimits import client_ip
from trunkshow.common.visitors import visitor_id
from trunkshow.inventory.reservations import InsufficientStock, Shortage, reservation_minutes
from trunkshow.studio.selectors import design_by_public_id

SESSION_CART = "cart_id"
SESSION_CHECKOUT = "checkout_values"
MAX = carts.MAX_LINE_QUANTITY
# The sandbox's cards, the approving one first (chosen until the shopper picks another).
PAYMENT_TOKENS = ("sandbox-ok", "sandbox-decline")


def _session_key(request: HttpRequest) -> str:
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


def session_cart(request: HttpRequest, *, create: bool = False) -> Cart | None:
    """The shopper's open cart in the market they are shopping in."""
    market = request_market(request)
    if market is None:
        return None
    cart_id = request.session.get(SESSION_CART)
    cart = selectors.cart_by_public_id(cart_id) if isinstance(cart_id, str) else None
    if cart is not None and (cart.status != Cart.Status.OPEN or cart.market_id != market.code):
        cart = None
    if cart is None and create:
        cart = carts.cart_create(
            market=market,
            locale=current_locale(),
            session_key=_session_key(request),
            client_address=client_ip(request),
            visitor_id=visitor_id(request),
        )
        request.session[SESSION_CART] = cart.public_id
    return cart


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return HttpResponseRedirect(target)


def _stock_message(request: HttpRequest, exc: InsufficientStock) -> None:
    # Shoppers know a bag by its name and colour, not by its SKU.
    market = request_market(request)
    offers = (
        offers_by_sku(
            skus=[short.sku for short in exc.shortages],
            market_code=str(market.code),
            locale=current_locale(),
        )
        if market is not None
        else {}
    )
    for short in exc.shortages:
        offer = offers.get(short.sku)
        bag = (
            _("%(title)s, %(colour)s") % {"title": offer.title, "colour": offer.color_name}
            if offer is not None
            else short.sku
        )
        if short.reason == "limit":
            messages.error(
                request,
                _("%(sku)s: at most %(n)s per shopper.") % {"sku": bag, "n": short.limit},
            )
        elif short.available:
            messages.error(
                request,
                _("%(sku)s: only %(n)s left.") % {"sku": bag, "n": short.available},
            )
        else:
            messages.error(request, _("%(sku)s is sold out.") % {"sku": bag})


def _quantity(raw: str, *, minimum: int) -> int | None:
    """The form's quantity, if the API would take it (the same rule, carts.quantity_problem)."""
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if carts.quantity_problem(value, minimum=minimum) is None else None


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    sku = request.POST.get("sku", "")[:64]
    quantity = _quantity(request.POST.get("quantity", "1"), minimum=1)
    if not sku or quantity is None:
        messages.error(request, carts.quantity_problem(None, minimum=1) or "")
        return _back(request, reverse("cart"))
    cart = session_cart(request, create=True)
    if cart is None:
        raise Http404("No market is configured.")
    # A campaign drop's waiting-room ticket, when the bag is a drop's.
    ticket = request.POST.get("ticket", "")[:500] or None
    try:
        carts.cart_line_set(cart=cart, sku=sku, quantity=quantity, ticket=ticket)
    except InsufficientStock as exc:
        _stock_message(request, exc)
        return _back(request, reverse("cart"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back(request, reverse("cart"))
    if request.POST.get("pick") == "1":
        # A pick bought straight from the quiz result is a click on it too,
        # recorded here so it always comes before the add (a beacon may not).
        record_request_event(request, Kind.PRODUCT_CLICKED, ref=sku)
    record_request_event(request, Kind.ADDED_TO_CART, ref=cart.public_id)
    messages.success(request, _("Added to your bag."))
    return HttpResponseRedirect(reverse("cart"))


@require_POST
def cart_add_design(request: HttpRequest) -> HttpResponse:
    design = design_by_public_id(request.POST.get("design_id", "")[:32])
    if design is None:
        messages.error(request, _("That design could not be found; please save it again."))
        return HttpResponseRedirect(reverse("studio-index"))
    cart = session_cart(request, create=True)
    if cart is None:
        raise Http404("No market is configured.")
    # A design that cannot go into the bag is never lost: back to it, not to a blank bag.
    back = HttpResponseRedirect(
        reverse("studio", args=[design.template.key])
        + "?"
        + urlencode({"design": design.public_id, "colour": design.sku})
    )
    try:
        carts.cart_design_add(cart=cart, design=design, quantity=1)
    except InsufficientStock as exc:
        _stock_message(request, exc)
        return back
    except DomainError as exc:
        messages.error(request, exc.message)
        return back
    record_request_event(request, Kind.ADDED_TO_CART, ref=cart.public_id)
    messages.success(request, _("Added to your bag."))
    return HttpResponseRedirect(reverse("cart"))


@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    cart = session_cart(request)
    sku = request.POST.get("sku", "")[:64]
    quantity = _quantity(request.POST.get("quantity", ""), minimum=0)
    if cart is None or not cart.lines.filter(sku=sku).exists():
        return HttpResponseRedirect(reverse("cart"))
    if request.POST.get("remove"):
        quantity = 0
    if quantity is None:
        messages.error(request, carts.quantity_problem(None, minimum=0) or "")
        return HttpResponseRedirect(reverse("cart"))
    design_id = request.POST.get("design_id", "")[:32]
    design = cart.lines.filter(design__public_id=design_id).first() if design_id else None
    try:
        if design is not None and design.design is not None:
            carts.cart_design_set(cart=cart, design=design.design, quantity=quantity)
        else:
            carts.cart_line_set(cart=cart, sku=sku, quantity=quantity, add=False)
    except InsufficientStock as exc:
        _stock_message(request, exc)
    except DomainError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("cart"))


def cart_page(request: HttpRequest) -> HttpResponse:
    cart = session_cart(request)
    payload = selectors.cart_payload(cart, locale=current_locale()) if cart else None
    hold_minutes = round(reservation_minutes())
    return render(request, "storefront/cart.html", {"cart": payload, "hold_minutes": hold_minutes})


def _checkout_fields(
    cart: Cart, values: dict[str, str], errors: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """The form's fields in the market's order, under its labels, each with its value and error."""
    rules = country_rules(cart.market_id)

    def row(name: str, label: Any, limit: int, required: bool, **attrs: str) -> dict[str, Any]:
        return {"name": name, "label": label, "maxlength": limit, "required": required,
                "value": values.get(name, ""), "error": errors.get(name), **attrs}  # fmt: skip

    contact = [
        row("email", _("Email"), LIMITS["email"], True, type="email", autocomplete="email"),
        row("name", _("Full name"), LIMITS["name"], True, autocomplete="name"),
        row("phone", rules.label("phone"), FIELD_LIMITS["phone"], "phone" in rules.required,
            type="tel", autocomplete="tel"),
    ]  # fmt: skip
    address = [
        row(name, rules.label(name), FIELD_LIMITS[name], name in rules.required,
            autocomplete=AUTOCOMPLETE[name],
            inputmode="numeric" if name == "postal_code" and rules is not GENERIC else "")
        for name in rules.fields
    ]  # fmt: skip
    return {"contact": contact, "address": address}


def _checkout_form(
    request: HttpRequest,
    cart: Cart,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    values, errors = values or {}, errors or {}
    payload = selectors.cart_payload(cart, locale=current_locale())
    methods = payload["shipping_methods"]
    chosen = next((m for m in methods if m["code"] == values.get("shipping_method")), None)
    chosen = chosen or next((m for m in methods if m["default"]), methods[0] if methods else None)
    fields = _checkout_fields(cart, values, errors)
    # Every problem, in page order, for the summary; focus goes to the first bad field.
    token = values.get("payment_token", "")
    token = token if token in PAYMENT_TOKENS else PAYMENT_TOKENS[0]
    order = [row for group in fields.values() for row in group]
    order += [
        {"name": "shipping_method", "label": _("Delivery"), "error": errors.get("shipping_method"),
         "target": f"f-shipping_method-{chosen['code']}" if chosen else None},
        {"name": "payment_token", "label": _("Payment"), "error": errors.get("payment_token"),
         "target": f"f-payment_token-{token}"},
    ]  # fmt: skip
    known = {row["name"] for row in order}
    summary = [
        {"target": row.get("target", f"f-{row['name']}"), "label": row["label"],
         "message": row["error"]}
        for row in order
        if row["error"]
    ] + [
        {"target": None, "label": "", "message": message}
        for name, message in errors.items()
        if name not in known
    ]  # fmt: skip
    context = {
        "cart": payload,
        "key": secrets.token_urlsafe(18),
        "values": values,
        "errors": errors,
        "fields": fields,
        "summary": summary,
        "focus": next((item["target"] for item in summary if item["target"]), None),
        "chosen": chosen,
        "payment_token": token,
        "country": cart.market_id,
    }
    return render(request, "storefront/checkout.html", context, status=status)


@require_http_methods(["GET", "POST"])
def checkout_page(request: HttpRequest) -> HttpResponse:
    cart = session_cart(request)
    if cart is None or not cart.lines.exists():
        return HttpResponseRedirect(reverse("cart"))
    if request.method == "GET":
        # What the shopper typed before a stock problem sent them to the bag.
        kept = request.session.pop(SESSION_CHECKOUT, None)
        record_request_event(request, Kind.CHECKOUT_STARTED, ref=cart.public_id)
        return _checkout_form(request, cart, values=kept if isinstance(kept, dict) else None)
    # Values are kept whole (up to a sanity bound): the shared rule refuses what is too long.
    names = ("email", "name", "phone", *FIELD_LIMITS, "shipping_method", "payment_token")
    values = {k: request.POST.get(k, "")[:1000] for k in names if k != "country"}
    if request.POST.get("update_total"):
        # Without JavaScript the shopper asks for the total with the method they chose.
        return _checkout_form(request, cart, values=values)
    address = {k: values[k] for k in FIELD_LIMITS if k != "country"}
    body: dict[str, Any] = {
        "email": values["email"].strip(),
        "name": values["name"].strip(),
        "address": {**address, "country": cart.market_id},
        "shipping_method": values["shipping_method"] or None,
        "payment_token": values["payment_token"],
    }
    key = request.POST.get("key", "")[:255] or secrets.token_urlsafe(18)
    status, answer = checkout_answer(
        cart=cart, key=key, payload=body, session_key=_session_key(request)
    )
    if status == 201:
        request.session.pop(SESSION_CART, None)
        return HttpResponseRedirect(reverse("order", args=[answer["order_id"]]))
    errors: dict[str, str] = {}
    code = answer.get("code")
    if code == "invalid":
        for item in answer.get("detail", []):
            errors.setdefault(str(item["loc"][-1]), item["msg"])
    elif code == "insufficient_stock":
        request.session[SESSION_CHECKOUT] = values  # filled in again once the bag is fixed
        _stock_message(
            request, InsufficientStock([_shortage(line) for line in answer.get("lines", [])])
        )
        return HttpResponseRedirect(reverse("cart"))
    elif code == "cart_already_ordered" and answer.get("order_id"):
        request.session.pop(SESSION_CART, None)
        messages.info(request, _("This bag was already ordered; here is the order."))
        return HttpResponseRedirect(reverse("order", args=[answer["order_id"]]))
    elif code == "hold_limit":
        errors["email"] = str(answer.get("message", ""))
    elif code == "payment_declined":
        # Beside the card the shopper chose, which stays chosen.
        errors["payment_token"] = _(
            "Your payment was declined. Nothing was charged; try another card."
        )
    else:
        messages.error(
            request,
            _("We could not complete the payment. Nothing was charged twice; please try again."),
        )
    return _checkout_form(request, cart, values=values, errors=errors, status=status)


def _shortage(line: dict[str, Any]) -> Shortage:
    """A short line as checkout reported it, for the same message the bag shows."""
    return Shortage(
        line["sku"], line["requested"], line["available"], line.get("limit"), line.get("reason", "")
    )


def order_page(request: HttpRequest, order_id: str) -> HttpResponse:
    order = selectors.order_by_public_id(order_id)
    token = request.GET.get("token")
    if order is None or not selectors.order_visible(order, token=token, request=request):
        raise Http404("No such order.")
    payload = selectors.order_payload(order, locale=current_locale())
    return render(request, "storefront/order.html", {"order": payload})
