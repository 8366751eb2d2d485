"""The demo brand loads a whole shop, and loading it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from trunkshow.catalog.models import Price, Product, ProductImage, ProductTranslation, Variant
from trunkshow.inventory.models import StockItem

pytestmark = pytest.mark.django_db

APPS = ["common", "catalog", "inventory", "commerce", "studio", "atelier", "auth"]


def snapshot() -> dict[str, list[dict]]:
    rows = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    return rows


def test_demo_brand_twice_leaves_the_same_rows():
    call_command("demo_brand", stdout=io.StringIO())
    first = snapshot()
    call_command("demo_brand", stdout=io.StringIO())
    assert snapshot() == first


def test_demo_brand_is_a_whole_shop_in_both_languages_and_markets():
    call_command("demo_brand", stdout=io.StringIO())

    assert Product.objects.filter(kind="handbag").count() >= 8
    assert Product.objects.filter(kind="travel").count() >= 3
    assert Product.objects.count() >= 12
    for product in Product.objects.all():
        locales = set(
            ProductTranslation.objects.filter(product=product).values_list("locale", flat=True)
        )
        assert locales == {"zh-Hans", "en"}
    for variant in Variant.objects.all():
        prices = {p.market_id: p.currency for p in Price.objects.filter(variant=variant)}
        assert prices == {"CN": "CNY", "US": "USD"}
        assert StockItem.objects.filter(sku=variant.sku).count() == 2
    # Some SKUs are sold out, so the shop shows both states.
    assert StockItem.objects.filter(on_hand=0).exists()
    assert StockItem.objects.filter(on_hand__gt=0).exists()


def test_the_demo_shop_ships_in_both_markets_and_limits_its_drop():
    from trunkshow.commerce.models import ShippingMethod

    call_command("demo_brand", stdout=io.StringIO())
    for market in ("CN", "US"):
        methods = ShippingMethod.objects.filter(market_id=market)
        assert set(methods.values_list("code", flat=True)) == {"standard", "express"}
        assert methods.get(is_default=True).code == "standard"
    assert set(
        StockItem.objects.filter(sku="TOTE-BLK").values_list("per_shopper_limit", flat=True)
    ) == {2}


def test_every_demo_variant_has_its_own_picture_in_its_colour():
    call_command("demo_brand", stdout=io.StringIO())
    for image in ProductImage.objects.select_related("variant"):
        with default_storage.open(image.image.name, "rb") as handle:
            picture = Image.open(handle)
            picture.load()
        assert picture.format == "WEBP"
        assert (image.width, image.height) == picture.size == (800, 800)
        # The variant's colour is on the bag, not only in the database.
        wanted = tuple(int(image.variant.color_hex[i : i + 2], 16) for i in (1, 3, 5))
        colours = picture.convert("RGB").getcolors(800 * 800)
        assert any(
            sum(abs(a - b) for a, b in zip(rgb, wanted, strict=True)) < 12 for _n, rgb in colours
        )
    assert ProductImage.objects.count() == Variant.objects.count()


def test_the_demo_dashboard_has_two_weeks_of_both_markets_and_a_running_experiment(settings):
    # Given the demo brand made from nothing, with its history at full size
    settings.DEMO_ANALYTICS_VISITORS = 3000
    settings.DEMO_ANALYTICS_EXPERIMENT = True
    call_command("demo_brand", stdout=io.StringIO())
    from trunkshow.quiz.experiments import experiment_readout
    from trunkshow.quiz.models import Experiment
    from trunkshow.storefront.insights import report_counts, report_cut

    # Then the last two weeks hold thousands of visitors in each market, who
    # go on to pay, and the experiment reads "not enough data yet"
    for market in ("CN", "US"):
        summed = report_counts(report_cut(quiz="ask-the-designer", market=market))
        assert summed["step", "viewed"] >= 1000 and summed["step", "paid"] > 0, market
    readout = experiment_readout(Experiment.objects.get())
    assert readout["enough_data"] is False and all(
        v["visitors"] > 1000 for v in readout["variants"]
    )
