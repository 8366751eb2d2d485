"""`make run` ends in `manage.py serve`: a real app server and a worker, stopped together."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.factories import cn_market
from trunkshow.common.models import WorkerHeartbeat
from trunkshow.common.tasks import record_worker_heartbeat

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    """Point the child processes at the very database this test uses."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def processes_marked(mark: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if mark.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def cmdline(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read()


def wait_for(predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_serve_runs_site_and_worker_and_ctrl_c_stops_both(tmp_path):
    cn_market()
    port = free_port()
    mark = f"TRUNKSHOW_TEST_MARK={uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(tmp_path),
        "PERIODIC_TASK_SECONDS": "1",
        mark.split("=")[0]: mark.split("=")[1],
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        # The site answers through the real application server.
        status, body = wait_for(lambda: get(f"http://127.0.0.1:{port}/healthz"))
        assert status == 200
        assert json.loads(body) == {"status": "ok"}
        # Static files are served by the app itself, hashed for long caching.
        status, page = get(f"http://127.0.0.1:{port}/en/")
        css = page.decode().split('rel="stylesheet" href="')[1].split('"')[0]
        assert css.startswith("/static/storefront/site.") and css.endswith(".css")
        assert get(f"http://127.0.0.1:{port}{css}")[0] == 200

        # A job enqueued through the Tasks API is run by the worker serve started.
        record_worker_heartbeat.enqueue(note="enqueued by the test")
        wait_for(lambda: WorkerHeartbeat.objects.filter(note="enqueued by the test").exists())
        status, body = get(f"http://127.0.0.1:{port}/healthz/worker")
        assert json.loads(body)["status"] == "ok"
        assert len(processes_marked(mark)) >= 3  # launcher, web server, worker

        # Renders take one worker per core, behind the site and the orders worker.
        renderers = [
            pid for pid in processes_marked(mark) if b"--queue-name\x00video\x00" in cmdline(pid)
        ]
        assert len(renderers) == (os.cpu_count() or 1)
        assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in renderers} == {10}
        orders = [
            pid
            for pid in processes_marked(mark)
            if b"--queue-name\x00orders,default\x00" in cmdline(pid)
        ]
        assert orders and {os.getpriority(os.PRIO_PROCESS, pid) for pid in orders} == {0}

        # The periodic sweep of stuck renders is queued and run on its own.
        wait_for(
            lambda: DBTaskResult.objects.filter(
                task_path="trunkshow.video.tasks.sweep_video_renders", status="SUCCESSFUL"
            ).exists()
        )

        # Ctrl-C stops both the site and the worker.
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=20) == 0
        wait_for(lambda: not processes_marked(mark), timeout=10)
        with pytest.raises(OSError):
            get(f"http://127.0.0.1:{port}/healthz")
    finally:
        if server.poll() is None:
            server.kill()
        for pid in processes_marked(mark):
            os.kill(pid, signal.SIGKILL)
