"""Serve the site and run the background worker, from one command.

`make run` ends here. Every child gets the same environment; Ctrl-C (SIGINT)
or SIGTERM stops them all, so no orphan worker keeps a queue half-served
after the site is gone. A child that dies (killed by the kernel's OOM killer
or an operator's kill -9) is started again after a short pause, so the site
recovers by itself on campaign day; Granian itself restarts a web process
that dies (--respawn-failed-workers). One that keeps dying at once (a port
in use, a wrong setting) stops everything after a few tries instead.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils.module_loading import import_string

from trunkshow.common.tasks import record_worker_heartbeat

STOP_GRACE_SECONDS = 10
RENDER_NICENESS = 10
# Pauses before starting a dead child again; a child that lived longer than
# HEALTHY_SECONDS starts again from the first. Past the last, serve gives up.
RESTART_DELAYS = (0.5, 1, 2, 5, 10)
HEALTHY_SECONDS = 60
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
            # SimpleWorker runs each job in the worker itself. RQ's default forks a
            # process per job, which imports PyAV and the render code again every
            # time: under the fault drill's load a render took about 1 s that way,
            # and a duplicate job (harmless, see the render's lease) as long.
            command = [
                python, "-m", "django", "rqworker", "--job-class", "django_tasks_rq.Job",
                "--worker-class", "rq.worker.SimpleWorker", "--with-scheduler",
                *queues.split(","),
            ]  # fmt: skip
            commands.append((f"rq worker {queues} {number}", command))
    return commands


def release_jobs(worker_ids: set[str], report: Any) -> set[str]:
    """Put back on the database queue the jobs that dead workers left RUNNING; the ids done.

    django-tasks-db leaves a job its worker was running when killed (kill -9,
    OOM, a dropped database connection) RUNNING for ever. Its jobs are written
    to run again (at-least-once), so it goes back to READY. A database still
    down is tried again on the next round.
    """
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    try:
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        # worker_ids is a JSON list; SQLite cannot look inside it, so read the few RUNNING.
        left = [
            pk
            for pk, ids in running.values_list("pk", "worker_ids")
            if ids and ids[-1] in worker_ids
        ]
        if left:
            DBTaskResult.objects.filter(pk__in=left, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY
            )
            report(f"Put {len(left)} job(s) of a dead worker back on the queue.")
    except DatabaseError:
        return set()
    finally:
        close_old_connections()
    return set(worker_ids)


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
            # A web process killed (OOM, kill -9) comes back in a second; its
            # siblings answer meanwhile.
            "--respawn-failed-workers", "--respawn-interval", "1",
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

        commands: dict[str, tuple[list[str], dict[str, str]]] = {"web server": (web_cmd, env)}
        if not options["no_worker"]:
            for name, worker_cmd in worker_commands(python, video=options["job_workers"]):
                # An RQ worker runs one job at a time: one connection, no pool.
                worker_env = {**env, "DATABASE_POOL": "false"} if name.startswith("rq ") else env
                commands[name] = (worker_cmd, worker_env)
        started: dict[str, float] = {}
        failures: dict[str, int] = {}
        restart_at: dict[str, float] = {}

        host = socket.gethostname()[:32]
        generation = itertools.count(1)
        worker_ids: dict[str, str] = {}
        orphaned: set[str] = set()  # ids of dead database workers whose jobs to give back

        def start(name: str) -> None:
            command, child_env = commands[name]
            if "db_worker" in command:
                # Named, so that when it dies the job it was running can be given back.
                worker_ids[name] = f"{host}-{os.getpid()}-{next(generation)}"
                command = [*command, "--worker-id", worker_ids[name]]
            # Each child gets its own process group so a Ctrl-C at the terminal
            # reaches only this launcher, which then stops them in order.
            children[name] = subprocess.Popen(command, env=child_env, start_new_session=True)  # noqa: S603
            started[name] = time.monotonic()
            if name.startswith(("worker video", "rq worker video")):
                # Renders fill every core on a campaign day; pages and payments first.
                os.setpriority(os.PRIO_PROCESS, children[name].pid, RENDER_NICENESS)

        for name in commands:
            start(name)
        if not options["no_worker"]:
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
            now = time.monotonic()
            for name, child in children.items():
                code = child.poll()
                if code is None or name in restart_at:
                    continue
                if now - started[name] > HEALTHY_SECONDS:
                    failures[name] = 0
                tries = failures.get(name, 0)
                if tries >= len(RESTART_DELAYS):
                    self.stderr.write(f"The {name} keeps exiting ({code}); stopping the rest.")
                    exit_code = code or 1
                    stopping = True
                    break
                failures[name] = tries + 1
                if name in worker_ids:
                    orphaned.add(worker_ids[name])
                restart_at[name] = now + RESTART_DELAYS[tries]
                self.stderr.write(
                    f"The {name} exited with {code}; "
                    f"starting it again in {RESTART_DELAYS[tries]} s."
                )
            if orphaned:
                orphaned -= release_jobs(orphaned, self.stderr.write)
            for name, when in list(restart_at.items()):
                if not stopping and time.monotonic() >= when:
                    del restart_at[name]
                    start(name)
            time.sleep(0.2)

        for child in children.values():
            # Even a child that died may leave its group behind (a process it
            # forked outlives it when it is killed with SIGKILL).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.stdout.write("Stopped.")
        if exit_code:
            raise SystemExit(exit_code)
