"""The baseline for bench/checkout.py: the shop's app plus one naive endpoint.

POST /naive/buy/<sku> reads the stock, checks it, then writes it back: the
read-check-write every oversold campaign day is made of. It exists only
here, to measure what the real checkout protects against.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from trunkshow.wsgi import application as shop


def naive_buy(request: HttpRequest, sku: str) -> HttpResponse:
    from trunkshow.inventory.models import StockItem

    with transaction.atomic():
        item = StockItem.objects.get(sku=sku, market_id="CN")  # no lock
        if item.on_hand - item.allocated <= 0:
            return JsonResponse({"code": "insufficient_stock"}, status=409)
        item.allocated += 1  # written back from what was read: lost updates
        item.save(update_fields=["allocated"])
    return JsonResponse({"status": "sold"}, status=201)


def application(environ, start_response):  # type: ignore[no-untyped-def]
    path = environ.get("PATH_INFO", "")
    if path.startswith("/naive/buy/"):
        from django.core.handlers.wsgi import WSGIRequest

        request = WSGIRequest(environ)
        response = naive_buy(request, path.rsplit("/", 1)[1])
        start_response(
            f"{response.status_code} {response.reason_phrase}",
            [(k, v) for k, v in response.items()],
        )
        return [response.content]
    return shop(environ, start_response)
