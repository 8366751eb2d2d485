"""Video delivery: playlists, segments, the MP4, poster and subtitles.

Files are served with byte ranges, because phones (Safari above all) play
MP4 only from a server that answers Range requests.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterator
from pathlib import Path

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from trunkshow.engines.video.house import HOUSE
from trunkshow.engines.video.playlist import PlaylistEntry, hls_playlist
from trunkshow.video import files, selectors, services
from trunkshow.video.message_files import CARD_SECONDS, fallback_card_key, fallback_card_stream
from trunkshow.video.models import DesignerClip, VideoMessage

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")
MESSAGE_FILES = re.compile(r"^(card\.ts|message\.mp4|poster\.jpg|[A-Za-z-]{2,16}\.vtt)$")
CLIP_FILE = re.compile(r"^(demo-)?[0-9a-f]{32}\.ts$")
TYPES = {".ts": "video/mp2t", ".mp4": "video/mp4", ".jpg": "image/jpeg", ".vtt": "text/vtt"}


def _chunks(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            block = handle.read(min(length, 1 << 16))
            if not block:
                return
            length -= len(block)
            yield block


def ranged_file(request: HttpRequest, path: Path, *, max_age: int) -> HttpResponseBase:
    if not path.is_file():
        raise Http404("No such file.")
    size = path.stat().st_size
    content_type = (
        TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
    if content_type == "text/vtt":
        content_type += "; charset=utf-8"
    header = request.headers.get("Range", "")
    match = RANGE_RE.match(header.strip()) if header else None
    response: HttpResponseBase
    if match and (match.group(1) or match.group(2)):
        first, last = match.group(1), match.group(2)
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # "bytes=-N": the last N bytes
            start, end = max(0, size - int(last)), size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(
            _chunks(path, start, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = f"public, max-age={max_age}" if max_age else "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _message(token: str, *, ready: bool) -> VideoMessage:
    message = selectors.message_by_token(token)
    if message is None or message.status in (
        VideoMessage.Status.FAILED,
        VideoMessage.Status.EXPIRED,
    ):
        raise Http404("No such video.")
    if ready and message.status != VideoMessage.Status.READY:
        raise Http404("Not rendered yet.")
    return message


@require_GET
def playlist(request: HttpRequest, token: str) -> HttpResponse:
    message = _message(token, ready=False)
    services.message_mark_opened(message=message)
    clips = {c.pk: c for c in DesignerClip.objects.filter(pk__in=message.clip_ids)}
    ordered = [clips[pk] for pk in message.clip_ids if pk in clips]
    # A render made before the card's length changed keeps its own length.
    card_frames = message.card_frames or HOUSE.frames_for(CARD_SECONDS)
    # The card's address names the nameless card of the same length, so a
    # player that gets there before the render is answered without Django
    # (video/card_segments.py); Django's view ignores the parameter.
    nameless = fallback_card_key(title=message.card_title, subtitle=message.card_subtitle)
    card = PlaylistEntry(f"card.ts?nameless={nameless}", card_frames / HOUSE.fps)
    entries = [
        PlaylistEntry(f"/v/clips/{Path(c.stream.name or '').name}", c.frames / HOUSE.fps)
        for c in ordered
    ]
    entries.insert(1 if entries else 0, card)
    response = HttpResponse(hls_playlist(entries), content_type="application/vnd.apple.mpegurl")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def message_file(request: HttpRequest, token: str, name: str) -> HttpResponseBase:
    if not MESSAGE_FILES.match(name):
        raise Http404("No such file.")
    message = _message(token, ready=name != "card.ts")
    if name == "message.mp4":
        services.message_mark_opened(message=message)
    path = files.message_dir(message.token) / name
    if name == "card.ts" and not path.exists():
        # Not rendered yet (a campaign-day queue): answer at once with the
        # profile's card of the same length, never hold a server thread
        # waiting; the shopper's own card is in the MP4 when it is ready.
        fallback = fallback_card_stream(title=message.card_title, subtitle=message.card_subtitle)
        response = ranged_file(request, fallback, max_age=0)
        response["Cache-Control"] = "no-store"
        return response
    # A year: the token names this exact render, which never changes.
    return ranged_file(request, path, max_age=31_536_000)


@require_GET
def clip_stream(request: HttpRequest, name: str) -> HttpResponseBase:
    if not CLIP_FILE.match(name):
        raise Http404("No such file.")
    return ranged_file(request, files.clip_dir() / name, max_age=31_536_000)
