"""Jobs of the campaigns app: each calls one service."""

from __future__ import annotations

from django_tasks import task

from trunkshow.campaigns.stream_recording import stream_recording_package


@task(queue_name="video")
def package_stream_recording(stream_id: int) -> str:
    return stream_recording_package(stream_id=stream_id).recording_status
