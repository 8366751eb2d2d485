"""Issue 25: the kit palette is fitted from a card, versioned, and its recipes come in drops."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.studio.test_atelier_board import pdf_text
from tests.studio.test_atelier_flow import buy
from tests.studio.test_designs_api import design, post
from trunkshow.atelier.models import KitOrder
from trunkshow.engines.paint.card import synthetic_card
from trunkshow.engines.paint.model import BLUE, RED, WHITE, YELLOW, paint_of_masstone
from trunkshow.inventory.models import StockItem
from trunkshow.studio.models import Design, PaletteVersion

pytestmark = pytest.mark.django_db

DEMO_CARD = Path(__file__).resolve().parents[2] / "trunkshow/demo/paint/demo-kit-card.yaml"


def calibrate(path: Path | str) -> str:
    out = io.StringIO()
    call_command("paint_calibrate", str(path), stdout=out)
    return out.getvalue()


def test_paint_calibrate_prints_the_fit_and_stores_a_version():
    # When the demo card is fitted by the command
    printed = calibrate(DEMO_CARD)
    # Then each swatch's residual and the leave-one-out errors are printed
    assert re.search(r"1 red \+ 19 white .* \d+\.\d\d", printed)
    assert "leave-one-out 1 yellow + 1 blue" in printed
    mean = float(re.search(r"fit residual CIEDE2000: mean (\d+\.\d+)", printed).group(1))
    assert mean <= 2.0
    # and a palette version holds the fitted constants
    version = PaletteVersion.objects.get()
    assert version.number == 1 and version.mode == "two-constant"
    assert [p["key"] for p in version.paints] == ["red", "yellow", "blue", "white"]
    assert version.kit["unit"] == "drops" and version.loo_mean <= 3.0


def test_a_bad_card_is_refused_naming_what_is_missing(tmp_path):
    data = yaml.safe_load(DEMO_CARD.read_text(encoding="utf-8"))
    data["swatches"] = data["swatches"][:-1]  # no yellow + blue
    path = tmp_path / "card.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"lacks the swatch 1 (yellow \+ 1 blue|blue \+ 1 yellow)"
    ):
        calibrate(path)
    assert not PaletteVersion.objects.exists()


def test_designs_keep_their_palette_and_new_recipes_use_the_latest(client, tote_template, tmp_path):
    # Given the demo kit calibrated, and a design made with it
    calibrate(DEMO_CARD)
    first = post(client, design()).json()
    assert first["palette_version"] == 1
    # When the brand fits a card of other paints (a much weaker blue)
    weak_blue = paint_of_masstone("blue", "Blue", "蓝", BLUE.curve * 2.2, 0.6)
    path = tmp_path / "card.yaml"
    path.write_text(yaml.safe_dump(synthetic_card((RED, YELLOW, weak_blue, WHITE))))
    calibrate(path)
    # Then a new design uses version 2, and the first keeps version 1 and its recipes
    second = post(client, design()).json()
    assert second["palette_version"] == 2
    kept = client.get(f"/api/v1/designs/{first['id']}").json()
    assert kept["palette_version"] == 1 and kept["paints"] == first["paints"]
    assert Design.objects.get(public_id=first["id"]).palette_version.number == 1
    recipe = post_recipe(client, second["paints"][0]["color"])
    assert recipe["palette_version"] == 2


def post_recipe(client, colour, **more):
    return client.post(
        "/api/v1/paint/recipe", {"color": colour, "palette": "diy-kit", **more},
        content_type="application/json",
    ).json()  # fmt: skip


@pytest.mark.django_db(transaction=True)  # the kit is made when the payment commits
def test_the_studio_and_the_painting_guide_give_the_same_drops(client, tote_template):
    # Given the calibrated kit and a paid kit order of a design whose body is one colour
    calibrate(DEMO_CARD)
    StockItem.objects.filter(sku="TOTE-1", market_id="CN").update(on_hand=50)
    made = post(client, design(locale="en")).json()
    body = next(p for p in made["paints"] if p["color"] == design()["zones"]["body"])
    buy(client, made, "drops")
    # When the studio asks for the body's recipe for the zones painted in it
    area = next(z["area_cm2"] for z in tote_template.zones if z["key"] == "body")
    studio = post_recipe(client, body["color"], area_cm2=area, locale="en")
    # Then it says the drops in words, the same the design and the printed guide give
    assert studio["amounts"]["unit"] == "drops"
    assert studio["amounts"]["words"] == body["amounts"]["words"]
    assert re.fullmatch(r"\d+ drops? \w+(, \d+ drops? \w+)*", studio["amounts"]["words"])
    kit = KitOrder.objects.get()
    response = Client().get(f"/kits/{kit.token}/guide.pdf", {"lang": "en"})
    _reader, text = pdf_text(b"".join(response.streaming_content))
    assert re.sub(r"\s+", "", studio["amounts"]["words"]) in text
    # and no paint asks for more than one pot
    drop_ml, pot_ml = 0.05, 20.0
    assert all(v * drop_ml <= pot_ml for v in studio["amounts"]["amounts"].values())


def test_staff_upload_a_card_in_the_admin_and_see_measured_against_model(django_user_model):
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("boss", password="x"))
    with DEMO_CARD.open("rb") as card:
        response = admin.post("/admin/studio/paletteversion/add/", {"card_file": card})
    assert response.status_code == 302
    version = PaletteVersion.objects.get()
    page = admin.get(f"/admin/studio/paletteversion/{version.pk}/change/").content.decode()
    assert 'src="data:image/png;base64,' in page and "yellow + 1 blue" in page


def test_the_admin_refuses_a_card_that_is_not_one(django_user_model):
    admin = Client()
    admin.force_login(django_user_model.objects.create_superuser("boss", password="x"))
    upload = io.BytesIO(b"paints: [1, 2\n")
    upload.name = "card.yaml"
    response = admin.post("/admin/studio/paletteversion/add/", {"card_file": upload})
    assert response.status_code == 200 and "YAML" in response.content.decode().split("errorlist")[1]
    assert not PaletteVersion.objects.exists()
