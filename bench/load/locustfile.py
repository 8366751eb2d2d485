"""The campaign-day journey under locust (run headless by bench/campaign_load.py).

Each simulated shopper walks bench/load/journey.py once per task, CN/zh-Hans
or US/en at random: campaign page, quiz, result (a new personal video), the
reopened result and the video, a bag added and paid in the sandbox, then a
friend's visit to the studio saving a design. Each step is its own locust
name; a "JOURNEY complete" entry counts the journeys walked without an error.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from journey import run_journey


class Shopper(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.rng = random.Random()

    def send(self, method: str, path: str, body: Any, name: str, headers: dict[str, str]):
        response = self.client.request(method, path, json=body, name=name, headers=headers)
        kind = response.headers.get("Content-Type", "")
        data = response.json() if kind.startswith("application/json") and response.content else None
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
