"""The bench's reference endpoint (bench/_reference.py) is never part of the site."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_reference_endpoint_is_not_reachable_with_the_sites_settings(client):
    # Given the site as configured for production (trunkshow.settings)
    # When a client posts to the bench's reference path
    response = client.post(
        "/api/v1/bench/reference-result/ask-the-designer",
        {"answers": {}},
        content_type="application/json",
    )

    # Then there is no such endpoint, and the API document does not name it
    assert response.status_code == 404
    assert "reference-result" not in client.get("/api/v1/openapi.json").content.decode()
