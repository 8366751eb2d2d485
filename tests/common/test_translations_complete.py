"""Every shopper-facing string has its zh-Hans translation.

The catalogue is extracted afresh from the code (templates, e-mails, Python:
API errors, PDFs, card and subtitle lines) in a copy of the project, merged
with the committed zh-Hans catalogue as `make messages` does, and every
message must then have a non-empty, non-fuzzy translation. A new
{% translate %} or gettext() without its zh-Hans text fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_every_message_in_the_code_has_a_chinese_translation(tmp_path):
    # Given a copy of the code with the committed catalogues
    assert shutil.which("xgettext"), "install gettext (apt-get install gettext): it extracts"
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT / "trunkshow", copy / "trunkshow",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
    )  # fmt: skip
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "TRUNKSHOW_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(copy)}

    # When the messages are extracted from it as `make messages` does
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", "--no-location",
         "--ignore", "node_modules", "-l", "zh_Hans"],
        cwd=copy, env=env, check=True, capture_output=True,
    )  # fmt: skip

    # Then every one of them is translated
    po_path = copy / "trunkshow" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert missing == [], f"{len(missing)} messages lack zh-Hans: add them to translations.json"
