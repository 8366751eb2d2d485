"""Payments, orders and e-mails have a worker of their own: video renders never delay them."""

from __future__ import annotations

import sys

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.commerce.conftest import checkout_body
from tests.commerce.test_checkout_api import cart_with, checkout
from trunkshow.common.management.commands.serve import worker_commands
from trunkshow.video.services import render_video_message

pytestmark = pytest.mark.django_db(transaction=True)


def queues_served() -> list[str]:
    """The --queue-name of every worker `manage.py serve` starts."""
    return [cmd[cmd.index("--queue-name") + 1] for _name, cmd in worker_commands(sys.executable)]


def test_serve_starts_a_worker_for_orders_that_serves_no_video():
    # When serve lays out its workers (the embedded default)
    served = queues_served()

    # Then one worker serves orders and the default queue and nothing else,
    # renders have workers of their own, and every queue is served
    priority = [q for q in served if "orders" in q.split(",")]
    assert priority == ["orders,default"]
    assert "video" in served and "previews" in served
    assert not any(q == "*" for q in served)


def test_an_email_job_runs_while_renders_are_queued(client, store):
    # Given a backlog of video renders queued before a paid order
    renders = [render_video_message.enqueue(10_000 + n) for n in range(5)]
    cart_id = cart_with(client, [("TOTE-1", 1)])
    placed = checkout(client, cart_id, checkout_body()).json()

    # When the order worker serve starts drains its queues
    call_command(
        "db_worker", "--batch", "--queue-name", "orders,default", "--interval", "0",
        "--no-startup-delay",
    )  # fmt: skip

    # Then the shopper has their confirmation e-mail, and every render is
    # still waiting for the render worker (none stood in front of the e-mail)
    assert len(mail.outbox) == 1
    assert placed["order_id"] in mail.outbox[0].body
    for render in renders:
        assert DBTaskResult.objects.get(id=render.id).status == TaskResultStatus.READY


def test_render_workers_look_for_work_often_and_rq_runs_jobs_in_the_worker(settings):
    # Given the scale-out layout (RQ workers beside the database worker)
    settings.RQ_QUEUE_WORKERS = {"emails,previews": 1, "video": 2}

    # When serve lays out its workers
    commands = dict(worker_commands(sys.executable))

    # Then a render's worker looks for it within a fifth of a second (it has
    # the intro's 3.2 s), and RQ runs each job in its worker, PyAV and the
    # fonts already loaded, instead of forking a process per job
    video = [cmd for name, cmd in commands.items() if name.startswith("worker video")]
    assert all(cmd[cmd.index("--interval") + 1] == "0.2" for cmd in video)
    rq = [cmd for name, cmd in commands.items() if name.startswith("rq worker")]
    assert len(rq) == 3
    assert all(cmd[cmd.index("--worker-class") + 1] == "rq.worker.SimpleWorker" for cmd in rq)
