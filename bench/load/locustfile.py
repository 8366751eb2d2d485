"""The campaign-day journey under locust (run headless by bench/campaign_load.py).

Each simulated shopper walks bench/load/journey.py once per task, CN/zh-Hans
or US/en at random: campaign page, quiz, result (a new personal video), the
reopened result and the video, a bag added and paid in the sandbox, then a
friend's visit to the studio saving a design. Each step is its own locust
name; a "JOURNEY complete" entry counts the journeys walked without an error.
With JOURNEY_LOG set, every answered result, video and paid order is appended
there as "kind id status" (bench/faults.py checks each one afterwards), and
every 503 with its Retry-After.
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from journey import run_journey

LOG = open(os.environ["JOURNEY_LOG"], "a", buffering=1) if os.environ.get("JOURNEY_LOG") else None  # noqa: SIM115


def log_answer(name: str, status: int, data: Any, retry_after: str | None) -> None:
    if LOG is None:
        return
    if status == 503:
        LOG.write(f"unavailable {name.replace(' ', '-')} {retry_after}\n")
    elif name == "result" and status == 200:
        LOG.write(f"result {data['result_id']} {(data.get('video') or {}).get('id', '-')}\n")
    elif name == "checkout" and status == 201:
        LOG.write(f"order {data['order_id']} {data.get('status', '-')}\n")


class Shopper(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.rng = random.Random()

    def send(self, method: str, path: str, body: Any, name: str, headers: dict[str, str]):
        response = self.client.request(method, path, json=body, name=name, headers=headers)
        kind = response.headers.get("Content-Type", "")
        data = response.json() if kind.startswith("application/json") and response.content else None
        log_answer(name, response.status_code, data, response.headers.get("Retry-After"))
        return response.status_code, data

    @task
    def campaign_day(self) -> None:
        started = time.perf_counter()
        failed = run_journey(self.send, self.rng)
        self.environment.events.request.fire(
            request_type="JOURNEY", name="complete" if not failed else "failed",
            response_time=(time.perf_counter() - started) * 1000, response_length=0,
            exception=RuntimeError("; ".join(failed)) if failed else None, context={},
        )  # fmt: skip
