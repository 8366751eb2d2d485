"""The export ZIP: data.json (machine-readable), summary.txt (in the shopper's
language) and the files held about them (video messages, design previews)."""

from __future__ import annotations

import json
import secrets
import zipfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from trunkshow.common import personal_data
from trunkshow.common.locales import to_django
from trunkshow.common.personal_data import Subject
from trunkshow.privacy.models import PrivacyRequest


def export_dir() -> Path:
    return Path(settings.PRIVATE_ROOT) / "privacy"


def export_collect(
    subject: Subject,
) -> tuple[dict[str, list[dict[str, Any]]], list[tuple[str, Path]]]:
    """Every handler's rows and files for one subject."""
    sections: dict[str, list[dict[str, Any]]] = {}
    files: list[tuple[str, Path]] = []
    for handler in personal_data.handlers():
        part = handler.export(subject)
        for name, rows in part.sections.items():
            sections.setdefault(name, []).extend(rows)
        files.extend(part.files)
    return sections, files


def export_build(request: PrivacyRequest, subject: Subject) -> str:
    """Write the ZIP under PRIVATE_ROOT/privacy; return its file name."""
    sections, files = export_collect(subject)
    data = {
        "format": "trunkshow-export/1",
        "generated_at": timezone.now(),
        "email": subject.email,
        "visitor_ids": subject.visitor_ids,
        "data": sections,
        "files": [name for name, path in files if path.exists()],
    }
    with override(to_django(request.locale)):
        summary = render_to_string(
            "privacy/export_summary.txt",
            {
                "sections": [(name, len(rows)) for name, rows in sections.items()],
                "files": data["files"],
                "email": subject.email,
            },
        )
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{request.pk}-{secrets.token_hex(16)}.zip"
    partial = folder / f"{name}.part"
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr("summary.txt", summary)
        for arcname, path in files:
            if path.exists():
                archive.write(path, f"files/{arcname}")
    # A crash mid-write leaves a .part nobody serves; the rename is atomic.
    partial.replace(folder / name)
    return name
