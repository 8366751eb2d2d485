from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError


def read_quiz_file(path: Path) -> str:
    """Return a quiz file's text, or stop the command with a clear message."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc
