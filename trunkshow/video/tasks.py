"""Jobs started from outside the video services: the admin's uploads, the periodic sweep.

The render job lives beside its service (services.render_video_message).
"""

from __future__ import annotations

from django_tasks import task

from trunkshow.video import services


@task(queue_name="video")
def normalize_designer_clip(clip_id: int) -> str:
    return services.clip_normalize(clip_id=clip_id).status


@task(queue_name="video")
def sweep_video_renders() -> dict[str, int]:
    return services.messages_sweep()


@task(queue_name="video")
def expire_video_messages() -> int:
    return services.messages_expire()
