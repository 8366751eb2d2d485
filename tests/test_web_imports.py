"""A web process does not load the heavy libraries only admins and workers use.

colour-science, SciPy, fpdf2 and PyAV together cost a web process about
100 MiB against a budget of 150 MiB (issue 28), so they load where they are
used: card calibration, atelier PDFs, video jobs; and the Redis client only
where REDIS_URL is set. Checked in a fresh
interpreter, since this test process has imported them for other tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("colour", "scipy", "fpdf", "av", "redis")

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trunkshow.settings")
import django
django.setup()
import trunkshow.urls, trunkshow.asgi, trunkshow.wsgi
loaded = {"app": sorted(m for m in HEAVY if m in sys.modules)}
# What the studio does on a shopper's request: mix a swatch, solve a recipe.
from trunkshow.engines.paint import ARTISAN, DIY_KIT, lightness, mix, solve
mix({"blue": 1, "yellow": 1})
solve("#3A6EA5", DIY_KIT), solve("#3A6EA5", ARTISAN), lightness("#3A6EA5")
loaded["studio"] = sorted(m for m in HEAVY if m in sys.modules)
print(json.dumps(loaded))
"""


def web_environment(root: Path) -> dict[str, str]:
    """The embedded configuration: no REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    return {**env, "PYTHONPATH": str(root)}


def loaded_in_fresh_interpreter() -> dict[str, list[str]]:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}"],
        cwd=root,
        env=web_environment(root),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_web_app_and_studio_requests_leave_heavy_libraries_unloaded():
    # Given a fresh interpreter that loads the whole web app, then mixes and solves paint
    loaded = loaded_in_fresh_interpreter()

    # Then neither brought in colour-science, SciPy, fpdf2, PyAV or (without REDIS_URL) redis
    assert loaded == {"app": [], "studio": []}


def test_the_probe_would_notice_a_heavy_import():
    # Given the same probe, once the web app imports the PDF writer at its top
    # (as trunkshow.engines.sheets did before)
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\nimport trunkshow.engines.sheets.pdf\n{PROBE}"],
        cwd=root,
        env=web_environment(root),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    # Then it reports fpdf as loaded
    assert "fpdf" in json.loads(result.stdout.strip().splitlines()[-1])["app"]


def test_the_asgi_app_as_granian_loads_it_leaves_django_test_and_jinja2_unloaded():
    # Given a fresh interpreter loading the app as Granian does (trunkshow.asgi first),
    # then every URL (django-ninja imports django.test.signals)
    root = Path(__file__).resolve().parent.parent
    probe = (
        "import os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'trunkshow.settings')\n"
        "import trunkshow.asgi\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "print(sorted(m for m in ('jinja2', 'django.test.client', 'django.test.testcases')"
        " if m in sys.modules))\n"
        "from django.test import Client\n"
        "print(Client.__name__)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=root, env=web_environment(root),
                            capture_output=True, text=True, timeout=120, check=True)  # fmt: skip

    # Then neither the test client nor Jinja2 is loaded, and both still load when asked for
    assert result.stdout.split() == ["[]", "Client"]
