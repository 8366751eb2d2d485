"""Fault drills: PostgreSQL drops every connection mid-run; the site answers 503 or 200, then 200.

Needs the tests on PostgreSQL (DATABASE_URL=postgres://...); skipped otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.common.test_serve import database_url, free_port, get, processes_marked, wait_for
from tests.factories import cn_market

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def status_of(url: str) -> tuple[int, str | None]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After")


def test_dropped_database_connections_are_a_503_at_worst_and_recover_by_themselves(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("run the tests with DATABASE_URL=postgres://... for this one")
    cn_market()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    mark = f"TRUNKSHOW_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, "DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path),
           mark.split("=")[0]: mark.split("=")[1]}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "1",
         "--no-worker"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(lambda: get(f"{base}/healthz"), timeout=60)
        products = f"{base}/api/v1/products?market=CN"
        for _ in range(5):  # the pool holds connections now
            assert status_of(products)[0] == 200

        # When PostgreSQL drops every connection of the site (a failover, a restart)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchall()

        # Then no request hangs or fails with a 500: each is answered at once,
        # a 503 with a retry hint at worst, and the site is whole again by itself
        answers = []
        for _ in range(10):
            started = time.monotonic()
            answers.append(status_of(products))
            assert time.monotonic() - started < 10
        assert all(code in {200, 503} for code, _ in answers), answers
        assert all(hint == "5" for code, hint in answers if code == 503)
        assert answers[-1][0] == 200
        assert json.loads(get(f"{base}/healthz")[1]) == {"status": "ok"}
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        for pid in processes_marked(mark):
            os.kill(pid, signal.SIGKILL)
