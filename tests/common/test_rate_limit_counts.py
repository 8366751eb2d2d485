"""Rate-limit counts are exact when requests arrive at the same instant, in threads
and in separate web processes: N requests past the limit let exactly the limit through."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

LIMIT = 5


def _asks(count: int, barrier: threading.Barrier | None = None) -> list[bool]:
    """Ask `count` times, from this thread or process, whether a privacy request
    from 198.51.100.7 may pass; True for each that passed."""
    from django.test import RequestFactory

    from trunkshow.common.ratelimits import check

    factory = RequestFactory()
    answers = []
    for _ in range(count):
        request = factory.post("/api/v1/privacy/requests", REMOTE_ADDR="198.51.100.7")
        if barrier is not None:
            barrier.wait()
        answers.append(not check(request).limited)
    return answers


def _process_asks(count: int, start: object, out: object) -> None:
    """One web process: Django set up from scratch (spawned, not forked)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")
    import django

    django.setup()
    from django.conf import settings as child_settings

    child_settings.RATE_LIMITS = {"privacy": {"per_address": f"{LIMIT}/h"}}
    start.wait()  # type: ignore[attr-defined]
    out.put(_asks(count))  # type: ignore[attr-defined]


@pytest.fixture
def one_limit(settings):
    # An hour's window, so a run never straddles two windows.
    settings.RATE_LIMITS = {"privacy": {"per_address": f"{LIMIT}/h"}}


def test_the_counts_are_in_a_store_every_process_shares():
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    assert backend in {
        "trunkshow.common.ratelimit_cache.RateLimitCache",
        "django.core.cache.backends.redis.RedisCache",
    }


def test_concurrent_requests_past_the_limit_let_exactly_the_limit_through(one_limit):
    # Given 32 requests from one address released at the same instant from 16 threads
    threads = 16
    barrier = threading.Barrier(threads)
    with ThreadPoolExecutor(threads) as pool:
        answers = [
            a for batch in pool.map(lambda _: _asks(2, barrier), range(threads)) for a in batch
        ]

    # Then exactly the limit passed; every other request was refused
    assert len(answers) == 2 * threads
    assert answers.count(True) == LIMIT


@pytest.mark.slow
def test_web_processes_share_one_exact_count(one_limit):
    # Given four web processes, each sending 8 requests from one address at once
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    workers = [context.Process(target=_process_asks, args=(8, start, out)) for _ in range(4)]
    for worker in workers:
        worker.start()
    start.set()
    answers = [a for _ in workers for a in out.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=30)

    # Then across the processes exactly the limit passed
    assert len(answers) == 32
    assert answers.count(True) == LIMIT
