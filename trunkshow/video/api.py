from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from trunkshow.common.api_errors import ApiError
from trunkshow.video import selectors, services

router = Router(tags=["video"])


def absolute_for(request: HttpRequest) -> Any:
    base = request.build_absolute_uri("/").rstrip("/")
    return lambda path: base + path


@router.get("/videos/{video_id}", summary="A personal video message and where to play it")
def get_video(request: HttpRequest, video_id: str) -> dict[str, Any]:
    message = selectors.message_by_token(video_id)
    if message is None:
        raise ApiError(404, "not_found", "No such video.")
    services.message_reclaim_if_stuck(message=message)
    return selectors.message_payload(message, absolute=absolute_for(request))
