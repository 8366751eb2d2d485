"""The paint API as the studio and API clients call it."""

from __future__ import annotations

import json

import pytest

# The kit palette is read from the database (its latest calibration).
pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_mixing_blue_and_yellow_gives_a_green(client):
    response = post(client, "/api/v1/paint/mix", {"parts": {"blue": 1, "yellow": 1}})
    assert response.status_code == 200
    colour = response.json()["color"]
    assert len(colour) == 7 and colour.startswith("#")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    assert green > red and green > blue - 20


def test_a_recipe_names_parts_of_the_four_paints(client):
    mixed = post(client, "/api/v1/paint/mix", {"parts": {"yellow": 3, "blue": 1}}).json()["color"]
    body = post(client, "/api/v1/paint/recipe", {"color": mixed, "palette": "diy-kit"}).json()
    assert set(body["recipe"]) == {"red", "yellow", "blue", "white"}
    assert body["achievable"] is True and body["delta_e"] <= 2.0
    assert sum(body["recipe"].values()) <= 20


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/paint/mix", {"parts": {"green": 1}}, ["body", "parts"]),
        ("/api/v1/paint/mix", {"parts": {"blue": 1.5}}, ["body", "parts", "blue"]),
        ("/api/v1/paint/mix", {"parts": {"blue": 10**30}}, ["body", "parts", "blue"]),
        ("/api/v1/paint/mix", {"parts": {}}, ["body", "parts"]),
        ("/api/v1/paint/mix", {"parts": {"blue": 1}, "palette": "x"}, ["body", "palette"]),
        ("/api/v1/paint/recipe", {"color": "red"}, ["body", "color"]),
        ("/api/v1/paint/recipe", {"color": "#12345G"}, ["body", "color"]),
        ("/api/v1/paint/recipe", {"color": "#123456", "palette": "x" * 40}, ["body", "palette"]),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client, path, body, field):
    response = post(client, path, body)
    assert response.status_code == 422
    assert field in [d["loc"][: len(field)] for d in response.json()["detail"]]
