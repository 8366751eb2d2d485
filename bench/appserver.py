"""Which application server `make run` uses: Granian (WSGI) against Gunicorn (gthread).

Both serve the same Django app with the same processes and threads, on a
fresh demo database, in the same run; the ratio is what holds on a noisy
machine. Run alone: .venv/bin/python bench/appserver.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import demo_environment, run_load, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
WORKERS, THREADS = 2, 4
PATHS = {"healthz": "/healthz", "products API": "/api/v1/products?market=CN&locale=zh-Hans"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def servers(port: int) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "granian": [py, "-m", "granian", "--interface", "wsgi", "--port", str(port),
                    "--workers", str(WORKERS), "--blocking-threads", str(THREADS), "--no-ws",
                    "--log-level", "warning", "trunkshow.wsgi:application"],
        "gunicorn": [py, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
                     "--threads", str(THREADS), "--worker-class", "gthread", "--log-level",
                     "warning", "trunkshow.wsgi:application"],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()

    env = demo_environment(ROOT)

    results: dict[str, dict[str, float]] = {}
    for name in ("granian", "gunicorn"):
        port = free_port()
        proc = subprocess.Popen(servers(port)[name], cwd=ROOT, env=env, start_new_session=True)
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz")
            results[name] = {}
            for label, path in PATHS.items():
                run_load("127.0.0.1", port, path, clients=args.clients, seconds=1.0)  # warm up
                load = run_load("127.0.0.1", port, path, clients=args.clients, seconds=args.seconds)
                results[name][label] = load.per_second
                print(f"{name:9s} {label:13s} {load.summary()}")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)

    for label in PATHS:
        ratio = results["granian"][label] / results["gunicorn"][label]
        print(f"ratio granian/gunicorn {label:13s} {ratio:5.2f}x")


if __name__ == "__main__":
    main()
