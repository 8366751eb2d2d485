"""The studio pages, in both languages, and the bag form that takes a design."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.studio.test_designs_api import design, post
from trunkshow.commerce.models import CartLine

pytestmark = pytest.mark.django_db


def test_the_studio_lists_bags_and_paints_one_in_chinese(client, tote_template):
    assert "画一只属于你的包" in client.get("/zh-hans/studio/").content.decode()
    page = client.get("/zh-hans/studio/signature-tote/").content.decode()
    assert "为你的经典托特包上色" in page and 'data-zone="body"' in page
    assert "data-lead-time" in page
    assert client.get("/en/studio/no-such-bag/").status_code == 404


def test_a_saved_design_goes_in_the_bag_by_the_form(tote_template):
    client = Client()
    client.cookies["trunkshow_market"] = "CN"
    made = post(client, design()).json()
    response = client.post("/zh-hans/cart/add-design/", {"design_id": made["id"]})
    assert response.status_code == 302 and response["Location"].endswith("/cart/")
    assert "自己动手绘制套装" in client.get("/zh-hans/cart/").content.decode()
    assert CartLine.objects.get().design.public_id == made["id"]
    # Quantity changes on the bag page reach the painted line, not a plain one.
    client.post(
        "/zh-hans/cart/update/", {"sku": "TOTE-1", "design_id": made["id"], "quantity": "2"}
    )
    assert CartLine.objects.get().quantity == 2


def test_an_unknown_design_is_not_added(client, tote_template):
    response = client.post("/en/cart/add-design/", {"design_id": "nope"})
    assert response.status_code == 302 and not CartLine.objects.exists()
