"""The scale-out configuration: PostgreSQL with a pool, Redis, RQ workers started by serve.

The same processes compose.yaml starts (`manage.py serve` with DATABASE_URL
and REDIS_URL), run directly. Needs the tests on PostgreSQL
(DATABASE_URL=postgres://...) and a Redis at TEST_REDIS_URL (default DB 7
of the local one, which the test empties); skipped otherwise.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection, transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from rq.job import Job
from rq.registry import FinishedJobRegistry

from tests.common.test_serve import (
    database_url,
    free_port,
    get,
    processes_marked,
    wait_for,
)
from trunkshow.common.jobs import enqueue_bulk
from trunkshow.common.models import WorkerHeartbeat
from trunkshow.common.tasks import record_worker_heartbeat

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
BULK_QUEUES = ["video", "previews", "emails"]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


needs_postgres_and_redis = pytest.mark.skipif(
    not redis_reachable(), reason=f"needs Redis at {REDIS_URL}"
)


def redis_mode(url: str = REDIS_URL) -> override_settings:
    """This test process's settings as the servers' with REDIS_URL set."""
    from django.conf import settings

    return override_settings(
        BULK_TASKS_BACKEND="bulk",
        TASKS={
            **settings.TASKS,
            "bulk": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": BULK_QUEUES},
        },
        RQ_QUEUES={name: {"URL": url} for name in BULK_QUEUES},
    )


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@needs_postgres_and_redis
def test_serve_on_postgres_and_redis_runs_bulk_jobs_on_rq_workers(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("run the tests with DATABASE_URL=postgres://... for this one")
    redis.Redis.from_url(REDIS_URL).flushdb()
    port = free_port()
    mark = f"TRUNKSHOW_TEST_MARK={uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(tmp_path),
        mark.split("=")[0]: mark.split("=")[1],
    }
    # Given serve started as compose.yaml starts it: PostgreSQL, Redis, RQ workers
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port), "--web-workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        status, _ = wait_for(lambda: get(f"http://127.0.0.1:{port}/healthz"), timeout=60)
        assert status == 200
        rq_workers = wait_for(
            lambda: [p for p in processes_marked(mark) if " rqworker " in cmdline(p)]
        )
        assert len(rq_workers) >= 2  # e-mails and previews; video renders

        # When a job a retry can redo is enqueued as the services do, in a transaction
        note = f"rq {uuid.uuid4().hex}"
        with redis_mode(), transaction.atomic():
            enqueue_bulk(record_worker_heartbeat, note, queue_name="emails")

        # Then an RQ worker serve started runs it, writing to PostgreSQL,
        # and the database queue never saw it
        wait_for(lambda: WorkerHeartbeat.objects.filter(note=note).exists(), timeout=60)
        assert not DBTaskResult.objects.filter(args_kwargs__args=[note]).exists()
        connection_ = redis.Redis.from_url(REDIS_URL)
        registry = FinishedJobRegistry("emails", connection=connection_)
        finished = [Job.fetch(job_id, connection=connection_) for job_id in registry.get_job_ids()]
        assert [job.args for job in finished] == [(note,)]
        assert finished[0].worker_name  # an RQ worker, by name

        # And the site still answers its own worker health from the database queue
        wait_for(lambda: get(f"http://127.0.0.1:{port}/healthz/worker")[0] == 200)

        # When Ctrl-C reaches serve, every web process and worker stops
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0
        wait_for(lambda: not processes_marked(mark), timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
        for pid in processes_marked(mark):
            os.kill(pid, signal.SIGKILL)


@needs_postgres_and_redis
def test_a_bulk_job_is_sent_only_when_its_transaction_commits():
    redis.Redis.from_url(REDIS_URL).flushdb()
    queued = redis.Redis.from_url(REDIS_URL)
    with redis_mode():
        # Given a service's transaction that enqueues a render, then fails
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_bulk(record_worker_heartbeat, "rolled back", queue_name="video")
            # Then nothing is on RQ while the transaction is open
            assert queued.llen("rq:queue:video") == 0
            raise RuntimeError("the service failed")
        # And nothing was sent for the rolled-back rows
        assert queued.llen("rq:queue:video") == 0

        # When the same transaction commits
        with transaction.atomic():
            enqueue_bulk(record_worker_heartbeat, "committed", queue_name="video")

    # Then exactly its job waits on the RQ queue, none on the database queue
    assert queued.llen("rq:queue:video") == 1
    assert not DBTaskResult.objects.exists()
    queued.flushdb()


def test_a_bulk_job_redis_refuses_lands_on_the_database_queue():
    # Given Redis is down (nothing listens on the port)
    with redis_mode(f"redis://127.0.0.1:{free_port()}/0"), transaction.atomic():
        # When a service commits a job a retry can redo
        enqueue_bulk(record_worker_heartbeat, "while redis is down", queue_name="emails")

    # Then the job waits on the database queue, which the database worker serves
    job = DBTaskResult.objects.get()
    assert job.status == "READY"
    assert job.args_kwargs["args"] == ["while redis is down"]
