from __future__ import annotations

import pytest
from django.utils import timezone

from tests.commerce.conftest import store  # noqa: F401 - shared fixture
from tests.factories import cn_market, us_market


@pytest.fixture
def markets(db):
    return {"CN": cn_market(), "US": us_market()}


@pytest.fixture
def clock(monkeypatch):
    """The server's clock, fixed at a whole second of the present and moved by the test."""

    class Clock:
        now = timezone.now().replace(microsecond=0)

        def move(self, **delta: float) -> None:
            from datetime import timedelta

            self.now += timedelta(**delta)

    fixed = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fixed.now)
    return fixed
