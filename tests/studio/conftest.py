from __future__ import annotations

import pytest

from tests.commerce.conftest import store  # noqa: F401 - shared fixture
from trunkshow.demo.templates_data import SURCHARGES, TEMPLATES
from trunkshow.studio.models import BagTemplate


@pytest.fixture
def tote_template(store):  # noqa: F811
    spec = dict(TEMPLATES[0])
    spec["product_sku"] = "TOTE-1"
    return BagTemplate.objects.create(**spec, surcharges=SURCHARGES)
