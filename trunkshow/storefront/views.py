from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.static import serve

from trunkshow.campaigns.views import home_takeover, takeover_context
from trunkshow.catalog.models import Product
from trunkshow.commerce.selectors import units_in_cart
from trunkshow.common.locales import current_locale, normalize_locale, to_django
from trunkshow.common.middleware import MARKET_COOKIE, request_market
from trunkshow.common.selectors import latest_heartbeat, market_by_code
from trunkshow.inventory.selectors import held_for
from trunkshow.storefront.selectors import shelf, shelf_item
from trunkshow.storefront.shop_views import session_cart
from trunkshow.video.selectors import render_backlog

ONE_YEAR = 365 * 24 * 3600


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def healthz_worker(request: HttpRequest) -> JsonResponse:
    """Report when a background worker last ran a job (`make run` pings it at start),
    and the personal-video renders waiting for a worker (a campaign day's backlog)."""
    heartbeat = latest_heartbeat()
    return JsonResponse(
        {
            "status": "ok" if heartbeat else "unknown",
            "last_seen": heartbeat.seen_at.isoformat() if heartbeat else None,
            "video_renders": render_backlog().as_dict(),
        }
    )


@require_GET
def media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Serve stored media; `serve` refuses paths that climb out of MEDIA_ROOT."""
    try:
        response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    except SuspiciousFileOperation as exc:
        raise Http404("No such file.") from exc
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _market_code(request: HttpRequest) -> str:
    market = request_market(request)
    if market is None:
        raise Http404("No market is configured.")
    return str(market.code)


def home(request: HttpRequest) -> HttpResponse:
    items = shelf(market_code=_market_code(request), locale=current_locale())
    handbags = [i for i in items if i.product.kind == Product.Kind.HANDBAG]
    travel = [i for i in items if i.product.kind == Product.Kind.TRAVEL]
    context: dict[str, object] = {
        "featured": handbags[:4],
        "travel": travel[:4],
        "hero": items[0] if items else None,
    }
    # While a campaign is teased or live in this market, it takes the hero's place.
    campaign = home_takeover(request)
    if campaign is not None:
        context |= takeover_context(campaign, request) | {"on_home": True}
        return render(request, "campaigns/home_takeover.html", context)
    return render(request, "storefront/home.html", context)


def product_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind")
    if kind not in Product.Kind.values:
        kind = None
    items = shelf(market_code=_market_code(request), locale=current_locale(), kind=kind)
    return render(
        request,
        "storefront/product_list.html",
        {"items": items, "kind": kind, "kinds": Product.Kind.choices},
    )


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    market_code = _market_code(request)
    cart = session_cart(request)
    holder = cart.public_id if cart is not None else ""
    item = shelf_item(slug=slug, market_code=market_code, locale=current_locale(), holder=holder)
    if item is None:
        raise Http404("No such product in this market.")
    wanted = request.GET.get("sku", "")
    selected = next((v for v in item.product.variants if v.sku == wanted), item.lead)
    available = item.available.get(selected.sku, 0)  # the shopper's own live hold included
    held = held_for(holder=holder, sku=selected.sku, market_code=market_code)
    return render(
        request,
        "storefront/product_detail.html",
        {
            "item": item,
            "product": item.product,
            "selected": selected,
            "selected_available": max(0, available - held),
            "held": held,
            "in_bag": units_in_cart(cart, sku=selected.sku) if cart is not None else 0,
        },
    )


@require_POST
def choose_region(request: HttpRequest) -> HttpResponse:
    """Remember the shopper's market and language, then return to the same page in it."""
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    locale = normalize_locale(request.POST.get("language", "")[:35])
    market = market_by_code(request.POST.get("market", "")[:16])
    if not locale and market is not None and request.POST.get("language"):
        # A language the shop does not speak (ja): the market's own fallback.
        locale = market.default_locale
    if locale:
        next_url = translate_url(next_url, to_django(locale))
    response = HttpResponseRedirect(next_url)
    if market is not None:
        response.set_cookie(
            MARKET_COOKIE, market.code, max_age=ONE_YEAR, samesite="Lax",
            secure=request.is_secure(), httponly=True,
        )  # fmt: skip
    if locale:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, to_django(locale), max_age=ONE_YEAR, samesite="Lax",
            secure=request.is_secure(),
        )  # fmt: skip
    return response
