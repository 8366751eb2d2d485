from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from trunkshow.analytics.models import Kind
from trunkshow.analytics.services import record_request_event
from trunkshow.common.locales import current_locale
from trunkshow.common.middleware import request_market
from trunkshow.studio import selectors

# The shop keeps the shopper's cart id here (storefront.shop_views.SESSION_CART);
# a cart holds its units under that id, so the studio can tell "the last one is
# in your bag" from "sold out".
SESSION_CART = "cart_id"


def _templates(request: HttpRequest) -> list[dict[str, Any]]:
    market = request_market(request)
    holder = request.session.get(SESSION_CART)
    return selectors.templates_payload(
        locale=current_locale(),
        market_code=market.code if market is not None else None,
        holder=holder if isinstance(holder, str) else "",
    )


def studio_page(request: HttpRequest, key: str) -> HttpResponse:
    templates = _templates(request)
    template = next((t for t in templates if t["key"] == key), None)
    if template is None:
        raise Http404("No such bag in the studio.")
    blanks = template.get("blanks", [])
    # The colour shown first: the one asked for (?colour=SKU, a reopened
    # design), else the template's own.
    asked = request.GET.get("colour", "")[:64]
    chosen = next((b for b in blanks if b["sku"] == asked), None) or next(
        (b for b in blanks if b["sku"] == template["product_sku"]), blanks[0] if blanks else None
    )
    context = {
        "template": template,
        "templates": templates,
        "blanks": blanks,
        "chosen_blank": chosen,
        "in_stock_blanks": [b for b in blanks if b["in_stock"]],
        "other_bags": [t for t in templates if t["key"] != key and t.get("in_stock")],
        "low_stock": selectors.LOW_STOCK,
        "swatches": selectors.kit_swatches_named(),
        "brush_sizes": selectors.BRUSH_SIZES,
    }
    record_request_event(request, Kind.STUDIO_OPENED, ref=key)
    return render(request, "studio/studio.html", context)


def studio_index(request: HttpRequest) -> HttpResponse:
    return render(request, "studio/index.html", {"templates": _templates(request)})
