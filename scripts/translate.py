"""Fill zh-Hans msgstrs from a JSON file of {msgid: msgstr} and keep en as identity.

Usage: python scripts/translate.py trunkshow/locale/zh_Hans/translations.json

Translators edit translations.json (one place, reviewable in a diff);
makemessages regenerates the .po files, and this script writes the strings in.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "trunkshow" / "locale"


def fill(po_path: Path, table: dict[str, object] | None) -> list[str]:
    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if table is None:
            # English source strings are already English.
            message.string = message.id
        elif key in table:
            value = table[key]
            message.string = tuple(value) if isinstance(value, list) else value  # type: ignore[assignment]
        else:
            missing.append(key)
        message.flags.discard("fuzzy")
    catalog.fuzzy = False
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)
    return missing


def main() -> int:
    table = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    missing = fill(ROOT / "zh_Hans" / "LC_MESSAGES" / "django.po", table)
    fill(ROOT / "en" / "LC_MESSAGES" / "django.po", None)
    for key in missing:
        print(f"untranslated: {key!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
