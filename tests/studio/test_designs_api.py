"""Designs through the API: checked by every rule, priced by the server, previewed once."""

from __future__ import annotations

import json
import time

import pytest
from django_tasks_db.models import DBTaskResult

from trunkshow.engines.design.cost import MAX_COST
from trunkshow.engines.paint import mix
from trunkshow.studio.models import Design
from trunkshow.studio.services import design_preview_render

pytestmark = pytest.mark.django_db

GREEN = mix({"blue": 1, "yellow": 3})


def draw_previews() -> int:
    """Run the preview jobs queued so far, as the "previews" worker would."""
    jobs = DBTaskResult.objects.filter(queue_name="previews", status="READY")
    for job in jobs:
        design_preview_render(design_id=job.args_kwargs["args"][0])
    return jobs.update(status="SUCCESSFUL")


def post(client, body):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post("/api/v1/designs", data, content_type="application/json")


def design(**changes):
    body = {
        "template": "signature-tote", "mode": "diy", "market": "CN",
        "zones": {"body": GREEN, "flap": mix({"yellow": 1, "white": 2})},
        "strokes": [{"zone": "body", "color": GREEN, "width": 8, "points": [[0.2, 0.5], [0.8, 0.6]]}],
        "stencil": {"x": 0.5, "y": 0.4, "scale": 1.0, "rotation": 15, "color": mix({"white": 1})},
        "monogram": "LJ",
    }  # fmt: skip
    body.update(changes)
    return body


def test_the_templates_list_the_zones_in_the_shoppers_language(client, tote_template):
    body = client.get("/api/v1/studio/templates?locale=zh-Hans").json()
    assert body[0]["key"] == "signature-tote" and body[0]["product_sku"] == "TOTE-1"
    assert {"key": "body", "title": "包身"}.items() <= body[0]["zones"][2].items()


def test_a_diy_design_gets_a_preview_its_recipes_and_a_price(client, tote_template):
    response = post(client, design())
    assert response.status_code == 201
    body = response.json()
    assert body["price"] == {"amount": "1260.00", "currency": "CNY"}  # 1000 + DIY kit 260
    assert {p["color"] for p in body["paints"]} >= {GREEN}
    assert all(p["achievable"] and sum(p["recipe"].values()) <= 20 for p in body["paints"])
    # The preview is drawn by a job, not in the request
    assert body["preview_status"] == "pending" and body["preview_url"] is None
    assert draw_previews() == 1
    again = client.get(f"/api/v1/designs/{body['id']}").json()
    assert again["preview_status"] == "ready"
    preview = client.get(again["preview_url"].replace("http://testserver", ""))
    assert preview.status_code == 200
    assert b"".join(preview.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_same_design_twice_reuses_the_preview(client, tote_template):
    first = post(client, design()).json()
    draw_previews()
    second = post(client, design()).json()
    # The second is ready at once: its picture was drawn for the first
    assert second["preview_status"] == "ready"
    first = client.get(f"/api/v1/designs/{first['id']}").json()
    assert first["id"] != second["id"] and first["preview_url"] == second["preview_url"]


def sponge_strokes(count, points, width=64):
    return [
        {"zone": "body", "color": GREEN, "width": width, "tool": "sponge",
         "points": [[round(0.1 + 0.8 * (i % 50) / 50, 3), round(0.2 + 0.6 * (i // 50) / 10, 3)]
                    for i in range(points)]}
        for _ in range(count)
    ]  # fmt: skip


def test_a_drawing_too_costly_to_paint_is_refused_and_names_its_cost(client, tote_template):
    # Given the drawing from the abuse report: 200 sponge strokes of 100 points
    response = post(client, design(strokes=sponge_strokes(200, 100)))

    # Then it is refused before anything is drawn or kept, saying why and the limit
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "design_too_costly"
    assert body["limit"] == MAX_COST and body["cost"] > MAX_COST
    assert body["detail"][0]["loc"] == ["body", "strokes"]
    assert not Design.objects.exists()


def test_a_detailed_drawing_within_the_cap_is_kept(client, tote_template):
    response = post(client, design(strokes=sponge_strokes(10, 100, width=16)))
    assert response.status_code == 201
    assert response.json()["preview_status"] == "pending"


def test_a_colour_the_kit_cannot_mix_is_named_with_the_nearest_that_it_can(client, tote_template):
    response = post(client, design(zones={"body": "#7A4B94"}, locale="en"))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "not_mixable"
    assert body["message"].startswith("violet cannot be mixed") and "nearest" in body["message"]
    assert body["detail"][0]["loc"] == ["body", "colors", "#7A4B94"]
    assert body["colors"][0]["color"] == "#7A4B94"
    assert not Design.objects.exists()
    # The artisans paint any colour.
    assert post(client, design(mode="artisan", zones={"body": "#7A4B94"})).status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"zones": {"lid": GREEN}}, ["body", "zones", "lid"]),
        ({"strokes": [{"zone": "body", "color": GREEN, "width": 8, "points": [[1e308, 0.5]]}]},
         ["body", "strokes", 0, "points", 0, 0]),
        ({"strokes": [{"zone": "body", "color": GREEN, "width": 999, "points": [[0.1, 0.5]]}]},
         ["body", "strokes", 0, "width"]),
        ({"monogram": "<b>"}, ["body", "monogram"]),
        ({"stencil": {"x": 0.5, "y": 0.4, "scale": 99, "rotation": 0, "color": GREEN}},
         ["body", "stencil", "scale"]),
        ({"mode": "gold"}, ["body", "mode"]),
        ({"template": "nope"}, ["body", "template"]),
        ({"version": 2}, ["body", "version"]),
        ({"strokes": [{"zone": "body", "color": GREEN, "width": 8, "tool": "spray", "points": [[0.1, 0.5]]}]},
         ["body", "strokes", 0, "tool"]),
    ],
)  # fmt: skip
def test_a_broken_rule_is_a_422_naming_where(client, tote_template, changes, field):
    response = post(client, design(**changes))
    assert response.status_code == 422
    assert field in [d["loc"] for d in response.json()["detail"]]


def test_hostile_documents_are_refused_quickly(client, tote_template):
    hostile = [
        "[" * 10_000 + "]" * 10_000,
        json.dumps(design()).replace('"width": 8', '"width": NaN'),
        json.dumps(design(strokes=[{"zone": "body", "color": GREEN, "width": 2,
                                    "points": [[0.5, 0.5]]}] * 1_000)),
    ]  # fmt: skip
    for body in hostile:
        started = time.perf_counter()
        response = post(client, body)
        assert response.status_code == 422, body[:80]
        assert time.perf_counter() - started < 5  # a guard against hanging, not a benchmark
    huge = '{"strokes": [' + ",".join(['{"points": [[0.1, 0.1]]}'] * 1_000_000) + "]}"
    assert post(client, huge).status_code == 413
    assert not Design.objects.exists()


def test_the_artisans_fee_grows_with_the_work_the_design_asks(client, tote_template):
    plain = post(client, design(mode="artisan", strokes=[], stencil=None, monogram=None,
                                zones={"body": GREEN})).json()  # fmt: skip
    busy = post(client, design(mode="artisan")).json()
    # CN: bag 1000 + base 480 + one zone 60
    assert plain["price"]["amount"] == "1540.00"
    assert plain["price_parts"]["zones"] == "60.00"
    # two zones, a stroke, three colours, a stencil and a monogram cost more
    assert float(busy["price"]["amount"]) > float(plain["price"]["amount"])
    assert busy["price_parts"]["stencil"] == "80.00" and busy["price_parts"]["monogram"] == "60.00"
    # The DIY kit is one price whatever the design
    kit = post(client, design()).json()
    assert kit["price"]["amount"] == "1260.00" and kit["price_parts"]["kit"] == "260.00"


def test_text_with_a_nul_character_is_refused_before_it_reaches_the_database(client, tote_template):
    # Given a design body whose template name hides a NUL (valid JSON, no column stores it)
    body = '{"template": "tote\\u0000", "market": "CN", "zones": {}}'

    # When it is posted
    response = client.post("/api/v1/designs", body, content_type="application/json")

    # Then it is refused by name, not answered with a server error
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"][0]["msg"]
