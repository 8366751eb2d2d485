"""Playwright driving Debian's Chromium against the live test server.

Never downloads a browser: the tests use /usr/bin/chromium (or $CHROMIUM) and
are skipped, with the reason, where it is missing.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator

import pytest
from django.core.management import call_command

PHONE = {"width": 375, "height": 812}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    return candidate if os.path.exists(candidate) else shutil.which("chromium")


def wait_until(page: object, expression: str, timeout_ms: int = 15_000) -> None:
    """Wait until a JavaScript expression is true in the page.

    Playwright's wait_for_function polls by evaluating a string inside the
    page, which the site's Content-Security-Policy (no eval) refuses; this
    polls from here, with evaluate(), which the policy does not govern.
    """
    import time

    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout_ms / 1000
    last = "false"
    while True:
        try:
            if page.evaluate(expression):  # type: ignore[attr-defined]
                return
        except Error as exc:  # a page navigating away, an element not there yet
            last = str(exc).splitlines()[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout_ms} ms ({last}): {expression}")
        page.wait_for_timeout(100)  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        pytest.skip("No Chromium at /usr/bin/chromium: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the tests make around it are still ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:
    """A fresh phone-sized browser context: no cookies, a touch screen."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Whatever a test does, nothing the site itself uses is refused by its own
    # Content-Security-Policy.
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not refused, refused


@pytest.fixture(autouse=True)
def static_from_source(settings) -> None:
    """Serve static files by their plain names from the apps' folders.

    The live test server finds static files by source name; hashed manifest
    names are for deployment (whitenoise serves those in `make run`, which
    tests/common/test_serve.py drives end to end).
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def no_snapshot_caching(settings) -> None:
    """The live server answers in this process: a request still in flight from the
    last test (a player waiting for its card) must not leave a snapshot of the
    emptied database cached for the next one."""
    settings.CATALOG_CACHE_SECONDS = 0


@pytest.fixture
def demo_shop(transactional_db) -> None:
    call_command("demo_brand", stdout=io.StringIO())
