"""Where video files live: MEDIA_ROOT/video/..., named by content hash or unguessable token."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def clip_dir() -> Path:
    path = media_root() / "video" / "clips"
    path.mkdir(parents=True, exist_ok=True)
    return path


def message_dir(token: str) -> Path:
    path = media_root() / "video" / "messages" / token
    path.mkdir(parents=True, exist_ok=True)
    return path


def relative(path: Path) -> str:
    return path.relative_to(media_root()).as_posix()


def stream_dir(key: str) -> Path:
    """Where a livestream recording's HLS package lives (made whole by the packager)."""
    path = media_root() / "video" / "streams"
    path.mkdir(parents=True, exist_ok=True)
    return path / key
