"""A livestream from an uploaded video file: checked, packaged as HLS in a job, then served.

`stream_recording_queue` runs where the upload is saved (the admin), inside its
transaction, so the job exists exactly when the new file does. `stream_recording_package`
is the job's work on the video queue: the engine packages the file (a remux when it is
H.264, else one encode), and the stream's `hls_path` then points the player at it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.db import transaction
from django_tasks import task

from trunkshow.campaigns.models import Stream
from trunkshow.common.errors import NotFound
from trunkshow.engines.video.normalize import NotAVideo
from trunkshow.video.recordings import recording_package

log = logging.getLogger(__name__)


def stream_recording_queue(*, stream_id: int) -> None:
    """Mark the stream's new recording as being packaged and enqueue the job that does it."""
    with transaction.atomic():
        updated = (
            Stream.objects.filter(pk=stream_id)
            .exclude(recording="")
            .update(recording_status=Stream.RecordingStatus.PACKAGING, recording_error="")
        )
        if updated:
            package_stream_recording.enqueue(stream_id)


def stream_recording_package(*, stream_id: int) -> Stream:
    """Package the stream's recording as HLS; on a file the engine refuses, say why."""
    stream = Stream.objects.filter(pk=stream_id).first()
    if stream is None:
        raise NotFound(f"No stream {stream_id}.", code="unknown_stream")
    if not stream.recording:
        return stream
    source = stream.recording.name
    try:
        hls_path, _package = recording_package(
            source=Path(stream.recording.path), name=f"stream-{stream.pk}"
        )
    except NotAVideo as exc:
        fields = {"recording_status": Stream.RecordingStatus.FAILED, "recording_error": str(exc)}
        hls_path = ""
    else:
        fields = {"recording_status": Stream.RecordingStatus.READY, "recording_error": ""}
    with transaction.atomic():
        # Only if the file is still the one packaged: a newer upload has its own job.
        if hls_path:
            fields["hls_path"] = hls_path
        Stream.objects.filter(pk=stream_id, recording=source).update(**fields)
    stream.refresh_from_db()
    return stream


@task(queue_name="video")
def package_stream_recording(stream_id: int) -> str:
    """Job on the video queue: package one stream's recording (a long encode never waits
    behind or in front of payments)."""
    return stream_recording_package(stream_id=stream_id).recording_status
