"""The staff control page of a livestream: go on air, pin and unpin products, see viewers.

Plain forms posted with the CSRF token; each action calls one service and comes back
to the page (works without scripts and by keyboard).
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from trunkshow.campaigns.models import Stream
from trunkshow.campaigns.streams import (
    stream_pin,
    stream_set_status,
    stream_unpin,
    streams_of,
    viewer_count,
)
from trunkshow.catalog.selectors import sellable_products
from trunkshow.common.errors import DomainError
from trunkshow.common.locales import current_locale
from trunkshow.common.middleware import request_market


def stream_control(request: HttpRequest, stream_id: int) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("atelier-login"))
    if not (user.is_active and user.is_staff):
        return render(request, "campaigns/stream_forbidden.html", status=403)
    stream = Stream.objects.filter(pk=stream_id).select_related("campaign").first()
    if stream is None:
        raise Http404("No such stream.")
    market = request_market(request)
    market_code = str(market.code) if market is not None else "CN"
    locale = current_locale()
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        sku = request.POST.get("sku", "")[:64]
        try:
            if action == "pin":
                stream_pin(stream_id=stream.pk, sku=sku)
            elif action == "unpin":
                stream_unpin(stream_id=stream.pk, sku=sku)
            elif action in ("live", "ended"):
                stream_set_status(stream_id=stream.pk, status=action)
            else:
                error = _("Unknown action.")
        except DomainError as exc:
            error = exc.message
        if not error:
            return HttpResponseRedirect(request.path)
    shown = next(
        s
        for s in streams_of(campaign_pk=stream.campaign_id, market_code=market_code, locale=locale)
        if s["id"] == stream.pk
    )
    pinned = {p["sku"] for p in shown["pinned"]}
    products = [
        {"sku": v.sku, "title": f"{card.title} · {v.color_name}", "pinned": v.sku in pinned}
        for card in sellable_products(market_code=market_code, locale=locale)
        for v in card.variants
    ]
    return render(
        request,
        "campaigns/stream_control.html",
        {
            "stream": shown,
            "campaign_slug": stream.campaign.slug,
            "viewers": viewer_count(stream.pk),
            "status_label": Stream.Status(shown["status"]).label,
            "products": products,
            "error": error,
        },
        status=422 if error else 200,
    )
