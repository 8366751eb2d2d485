from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trunkshow.video.models import VideoMessage


def message_by_token(token: str) -> VideoMessage | None:
    if not 10 <= len(token) <= 32:
        return None
    return VideoMessage.objects.filter(token=token).first()


def message_payload(message: VideoMessage, *, absolute: Callable[[str], str]) -> dict[str, Any]:
    """The API's view of a message.

    The HLS playlist is playable at once: it opens on the shared intro, and
    the personal card it lists next is served the moment it is rendered
    (well before the intro ends). The MP4, poster and subtitles appear when
    the whole render is ready.
    """
    base = f"/v/{message.token}"
    ready = message.status == VideoMessage.Status.READY
    failed = message.status == VideoMessage.Status.FAILED
    return {
        "id": message.token,
        "status": message.status,
        "hls_url": None if failed else absolute(f"{base}/index.m3u8"),
        "mp4_url": absolute(f"{base}/message.mp4") if ready else None,
        "poster_url": absolute(f"{base}/poster.jpg") if ready else None,
        "subtitles_url": absolute(f"{base}/{message.locale}.vtt") if ready else None,
    }
