from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Keep files written by tests out of the developer's var/media."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root  # type: ignore[attr-defined]
    settings.PRIVATE_ROOT = tmp_path_factory.mktemp("private")  # type: ignore[attr-defined]
    return root


@pytest.fixture(autouse=True)
def fresh_local_caches():
    """Each test sees its own database, never a snapshot cached by the last one,
    nor counts (video renders per client) a test before left in Django's cache."""
    from django.core.cache import cache

    from trunkshow.common.local_cache import clear_local_caches

    clear_local_caches()
    cache.clear()
    yield
    clear_local_caches()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with no request counted against a rate limit."""
    from django.core.cache import caches

    caches["ratelimit"].clear()
    yield


@pytest.fixture(autouse=True)
def small_demo_history(settings: pytest.FixtureRequest) -> None:
    """demo_brand's analytics history, small and without its experiment: tests
    that need the full one say so."""
    settings.DEMO_ANALYTICS_VISITORS = 60  # type: ignore[attr-defined]
    # Half the demo's visitors would see the experiment's new wording.
    settings.DEMO_ANALYTICS_EXPERIMENT = False  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Give the test process plain connections, not psycopg's pool.

    Tests start threads that end without handing their connection back; in a pool
    those leak until no test can get one ("couldn't get a connection after 5 s").
    The pool itself is exercised by the servers the tests start (test_scale_out,
    test_fault_drills, test_kill_web_process), which read DATABASE_URL afresh.
    """
    from django.conf import settings
    from django.db import connections

    for alias in settings.DATABASES:
        settings.DATABASES[alias].get("OPTIONS", {}).pop("pool", None)
        connections[alias].settings_dict.get("OPTIONS", {}).pop("pool", None)
