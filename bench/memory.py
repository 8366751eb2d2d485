"""Resident memory of a `manage.py serve` web process after the shopper pages (issue 28, point 4).

Goal: peak RSS per web process <= 150 MiB. For each tree (this one, and the base
given by --base, e.g. a `git worktree add /tmp/base-i-mem main`), in the same run:
a fresh demo database, `manage.py serve` with one web process and no worker, then
home, catalogue, the quiz result, studio and checkout pages in both languages and
the API journey of the load test (result, bag, sandbox checkout, studio, saved
design) a few times. Then each web process's RSS and peak (VmHWM) from /proc, and
the ratio of this tree's figure to the base's.

Both trees run with this virtual environment, PYTHONPATH pointing at the tree.
Run: .venv/bin/python bench/memory.py --base /tmp/base-i-mem [--journeys 6]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _load import demo_environment, wait_until_up

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/{p}/", "/{p}/products/", "/{p}/quiz/ask-the-designer/", "/{p}/quiz/result/{r}/",
         "/{p}/studio/", "/{p}/studio/signature-tote/", "/{p}/cart/", "/{p}/checkout/"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


ROLES = ("serve command", "granian main", "web process")


def web_processes(root: int) -> list[tuple[int, str]]:
    """The serve command, Granian's main process under it, and the web processes under that."""
    found, queue = [], [(root, 0)]
    while queue:
        pid, depth = queue.pop()
        found.append((pid, ROLES[min(depth, 2)]))
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        queue += [(int(c), depth + 1) for c in children]
    return found


def memory_mib(pid: int) -> tuple[float, float]:
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def send(self, method: str, path: str, body: Any, _name: str,
             headers: dict[str, str]) -> tuple[int, Any]:  # fmt: skip
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,  # noqa: S310
                                         headers={"Content-Type": "application/json", **headers})  # fmt: skip
        try:
            with self.opener.open(request, timeout=60) as response:
                raw, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            raw, status = error.read(), error.code
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, None


def measure(tree: Path, journeys: int) -> list[tuple[int, str, float, float, int]]:
    from load.journey import QUIZ, SHOPPERS, run_journey

    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(tree)
    try:
        env = demo_environment(tree)
    finally:
        os.environ.pop("PYTHONPATH") if saved is None else os.environ.update(PYTHONPATH=saved)
    env["RATELIMIT_ENABLE"] = "0"
    port = free_port()
    proc = subprocess.Popen([sys.executable, "manage.py", "serve", "--port", str(port),
                             "--web-workers", "1", "--no-worker"], cwd=tree, env=env,
                            stdout=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    failures: list[str] = []
    try:
        wait_until_up(base + "/healthz", timeout=60)
        rng = random.Random(28)
        for index in range(journeys):
            client = Client(base)
            failures += run_journey(client.send, rng, shopper=index % 2)
            market, locale, prefix, _address = SHOPPERS[index % 2]
            status, quiz = client.send(
                "GET", f"/api/v1/quizzes/{QUIZ}?locale={locale}", None, "", {}
            )
            answers = {q["key"]: q["answers"][0]["key"] for q in quiz["questions"]}
            _status, result = client.send("POST", f"/api/v1/quizzes/{QUIZ}/result", {
                "answers": answers, "name": "Lin", "locale": locale, "market": market,
                "personalised": True}, "", {})  # fmt: skip
            for page in PAGES:
                status, _ = client.send(
                    "GET", page.format(p=prefix, r=result["result_id"]), None, "", {}
                )
                if status >= 400:
                    failures.append(f"{page}: {status}")
        return [(pid, role, *memory_mib(pid), len(failures))
                for pid, role in web_processes(proc.pid)]  # fmt: skip
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--base", type=Path, help="a checkout of the base commit (else this tree only)"
    )
    parser.add_argument("--journeys", type=int, default=6)
    args = parser.parse_args()
    peaks = {}
    trees = [("base", args.base.resolve())] if args.base else []
    for label, tree in (*trees, ("this", ROOT)):
        rows = measure(tree, args.journeys)
        for pid, role, rss, hwm, failed in rows:
            print(f"{label}: {role:13s} pid {pid:7d} RSS {rss:6.1f} MiB  peak {hwm:6.1f} MiB  "
                  f"(failed requests {failed})")  # fmt: skip
        peaks[label] = max(hwm for _pid, role, _rss, hwm, _f in rows if role == "web process")
    if "base" not in peaks:
        print(f"largest web process peak: this {peaks['this']:.1f} MiB (goal: <= 150 MiB)")
        return
    print(f"largest web process peak: this {peaks['this']:.1f} MiB, base {peaks['base']:.1f} MiB, "
          f"ratio this/base {peaks['this'] / peaks['base']:.2f}x (goal: <= 150 MiB)")  # fmt: skip


if __name__ == "__main__":
    main()
