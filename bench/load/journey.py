"""The campaign-day journey, step by step, for any HTTP client.

One definition serves the locust load test (bench/load/locustfile.py) and
the plan check (bench/explain_plans.py), so both walk the same requests:
campaign page, quiz, result, video, add to bag, sandbox checkout, and a
share reaching the studio where a design is saved; in CN/zh-Hans or US/en.

`send(method, path, body, name, headers)` returns (status, parsed JSON or None).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from typing import Any

from trunkshow.engines.paint import mix  # pure Python: no Django needed

Send = Callable[[str, str, Any, str, dict[str, str]], tuple[int, Any]]

SHOPPERS = [
    # market, locale (API), page language prefix, a bag sold there, address
    ("CN", "zh-Hans", "zh-hans", {
        "line1": "南京西路 1266 号", "district": "静安区", "city": "上海市", "region": "上海市",
        "postal_code": "200040", "country": "CN", "phone": "13800138000"}),
    ("US", "en", "en", {
        "line1": "1 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701",
        "country": "US", "phone": "2175550100"}),
]  # fmt: skip
QUIZ = "ask-the-designer"
STEPS = ["campaign page", "quiz", "result", "reopen result", "video", "add to bag",
         "checkout", "studio", "save design"]  # fmt: skip


def design_body(market: str, rng: random.Random) -> dict[str, Any]:
    """A DIY design of the demo tote, its colours drawn per shopper (a new preview each)."""
    parts = {pigment: rng.randint(0, 4) for pigment in ("red", "yellow", "blue", "white")}
    parts["white"] += 1  # never zero parts in all
    colour, light = mix(parts), mix({"white": 2, "yellow": 1})
    return {
        "template": "signature-tote", "mode": "diy", "market": market,
        "zones": {"body": colour},
        "strokes": [{"zone": "body", "color": light, "width": 8,
                     "points": [[0.2, 0.5], [0.8, rng.random()]]}],
        "monogram": "LJ",
    }  # fmt: skip


def run_journey(send: Send, rng: random.Random, *, shopper: int | None = None) -> list[str]:
    """Walk the journey once; return the steps that failed (empty: a completed journey)."""
    market, locale, prefix, address = SHOPPERS[rng.randrange(2) if shopper is None else shopper]
    failed: list[str] = []

    def step(name: str, method: str, path: str, body: Any = None, expect: int = 200,
             headers: dict[str, str] | None = None) -> Any:  # fmt: skip
        status, data = send(method, path, body, name, headers or {})
        if status != expect:
            failed.append(f"{name}: {status}")
            return None
        return data if data is not None else {}

    campaign = step(
        "campaign page", "GET", f"/api/v1/campaigns/current?market={market}&locale={locale}"
    )
    if campaign is None:
        return failed
    step("campaign page", "GET", f"/{prefix}/campaigns/{campaign['slug']}/")
    quiz = step("quiz", "GET", f"/api/v1/quizzes/{QUIZ}?locale={locale}")
    if quiz is None:
        return failed
    answers = {q["key"]: rng.choice(q["answers"])["key"] for q in quiz["questions"]}
    result = step("result", "POST", f"/api/v1/quizzes/{QUIZ}/result", {
        "answers": answers, "name": f"Lin {uuid.uuid4().hex[:6]}", "locale": locale,
        "market": market, "personalised": True}, expect=200)  # fmt: skip
    if result is None:
        return failed
    step("reopen result", "GET", f"/api/v1/quiz-results/{result['result_id']}?locale={locale}")
    if result.get("video"):
        step("video", "GET", f"/api/v1/videos/{result['video']['id']}")
    sku = next((r["sku"] for r in result["recommendations"] if r.get("in_stock")), None)
    cart = step("add to bag", "POST", "/api/v1/carts", {"market": market, "locale": locale}, 201)
    if cart is None or sku is None:
        return failed + ([] if sku else ["add to bag: nothing in stock"])
    if step("add to bag", "POST", f"/api/v1/carts/{cart['id']}/lines",
            {"sku": sku, "quantity": 1}, 201) is None:  # fmt: skip
        return failed
    step("checkout", "POST", f"/api/v1/carts/{cart['id']}/checkout", {
        "email": "lin@example.com", "name": "Lin", "address": address,
        "payment_token": "sandbox-ok"}, 201, {"Idempotency-Key": uuid.uuid4().hex})  # fmt: skip
    # A friend opens the shared result and paints a bag of their own.
    step("studio", "GET", f"/api/v1/studio/templates?market={market}&locale={locale}")
    step("save design", "POST", "/api/v1/designs", design_body(market, rng), 201)
    return failed
