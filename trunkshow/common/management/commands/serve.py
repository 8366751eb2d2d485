"""Serve the site and run the background worker, from one command.

`make run` ends here. Both children get the same environment; when either
dies the other is stopped too, and Ctrl-C (SIGINT) or SIGTERM stops both, so
no orphan worker keeps a queue half-served after the site is gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils.module_loading import import_string

from trunkshow.common.tasks import record_worker_heartbeat

STOP_GRACE_SECONDS = 10
RENDER_NICENESS = 10
# Seconds an idle database worker sleeps before it looks for a job again. A
# render has the intro's 3.2 s to finish, so its worker looks more often
# (an idle poll is one indexed read of the queue).
POLL_SECONDS = {"video": "0.2"}
DEFAULT_POLL_SECONDS = "0.5"


def worker_commands(python: str, *, video: int | None = None) -> list[tuple[str, list[str]]]:
    """One worker process per queue group of settings.JOB_QUEUE_WORKERS, times its count.

    Each group is served by workers of its own, so a queue of slow video
    renders never stands in front of a payment's follow-up or an e-mail.
    `video` overrides how many render workers run.
    """
    commands = []
    for queues, count in settings.JOB_QUEUE_WORKERS.items():
        wanted = video if video is not None and queues == "video" else count
        for number in range(1, max(1, int(wanted)) + 1):
            interval = POLL_SECONDS.get(queues, DEFAULT_POLL_SECONDS)
            command = [
                python, "-m", "django", "db_worker", "--queue-name", queues, "--interval", interval,
            ]  # fmt: skip
            commands.append((f"worker {queues} {number}", command))
    # With REDIS_URL, the jobs a retry can redo are RQ's (settings.RQ_QUEUE_WORKERS).
    for queues, count in settings.RQ_QUEUE_WORKERS.items():
        wanted = video if video is not None and queues == "video" else count
        for number in range(1, max(1, int(wanted)) + 1):
            # SimpleWorker runs each job in the worker itself, as db_worker
            # does. RQ's default forks a work-horse per job, which imports
            # PyAV, loads the fonts and converts the card's paper again every
            # time: 0.1 s more CPU on a 0.33 s render (bench/README.md).
            command = [
                python, "-m", "django", "rqworker", "--job-class", "django_tasks_rq.Job",
                "--worker-class", "rq.worker.SimpleWorker", "--with-scheduler", *queues.split(","),
            ]  # fmt: skip
            commands.append((f"rq worker {queues} {number}", command))
    return commands


class Command(BaseCommand):
    help = "Serve the site with Granian and run the background-job worker; Ctrl-C stops both."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument(
            "--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--interface",
            choices=["asgi", "wsgi"],
            default=os.environ.get("WEB_INTERFACE", "asgi"),
            help="asgi (default): event streams and other waiting views hold no thread; "
            "wsgi: the previous setup, where they answer at once (bench/serve_interface.py).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS", "4")),
            help="Request threads per web process under --interface wsgi.",
        )
        parser.add_argument(
            "--job-workers",
            type=int,
            default=None,
            help="Video-render worker processes (each renders one video at a time); "
            "default JOB_QUEUE_WORKERS['video'] (JOB_WORKERS).",
        )
        parser.add_argument("--no-worker", action="store_true", help="Serve the site only.")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        if options["interface"] == "asgi":
            # Django has no ASGI lifespan; "asginl" is Granian's ASGI without it. Sync views
            # run in Django's own threads; the event stream waits as a coroutine.
            app = ["--interface", "asginl", "trunkshow.asgi:application"]
        else:
            app = ["--interface", "wsgi", "--blocking-threads", str(options["threads"]),
                   "trunkshow.wsgi:application"]  # fmt: skip
        web_cmd = [
            python, "-m", "granian",
            "--host", options["host"],
            "--port", str(options["port"]),
            "--workers", str(options["web_workers"]),
            # Open event streams must not keep a stopping server up past the launcher's grace.
            "--workers-kill-timeout", str(STOP_GRACE_SECONDS // 2),
            "--no-ws",
            *app,
        ]  # fmt: skip
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "trunkshow.settings"}

        children: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)

        # Each child gets its own process group so a Ctrl-C at the terminal
        # reaches only this launcher, which then stops them in order.
        children["web server"] = subprocess.Popen(web_cmd, env=env, start_new_session=True)  # noqa: S603
        if not options["no_worker"]:
            for name, worker_cmd in worker_commands(python, video=options["job_workers"]):
                # One job at a time per RQ worker: one connection, no pool.
                worker_env = {**env, "DATABASE_POOL": "false"} if name.startswith("rq ") else env
                children[name] = subprocess.Popen(  # noqa: S603
                    worker_cmd, env=worker_env, start_new_session=True
                )
                if name.startswith(("worker video", "rq worker video")):
                    # Renders fill every core on a campaign day; pages and payments first.
                    os.setpriority(os.PRIO_PROCESS, children[name].pid, RENDER_NICENESS)
            # A first job through the Tasks API: /healthz/worker shows when the
            # worker ran it, so an operator sees the queue is served.
            record_worker_heartbeat.enqueue(note="serve started")
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"Trunk Show is serving {url} (Ctrl-C stops site and worker)")

        periodic = [import_string(path) for path in settings.PERIODIC_TASKS]
        next_periodic = time.monotonic() + settings.PERIODIC_TASK_SECONDS
        exit_code = 0
        while not stopping:
            if not options["no_worker"] and time.monotonic() >= next_periodic:
                next_periodic = time.monotonic() + settings.PERIODIC_TASK_SECONDS
                for periodic_task in periodic:
                    try:
                        periodic_task.enqueue()
                    except DatabaseError as exc:  # a busy or restarting database: next round
                        self.stderr.write(f"Could not queue {periodic_task.name}: {exc}")
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    self.stderr.write(f"The {name} exited with {code}; stopping the rest.")
                    exit_code = code or 1
                    stopping = True
            time.sleep(0.2)

        for child in children.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.stdout.write("Stopped.")
        if exit_code:
            raise SystemExit(exit_code)
