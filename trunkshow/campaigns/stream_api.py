"""Staff pin and unpin products on a livestream; viewers follow through `stream_events`.

Staff are known by their session (with its CSRF token, as every form on the site) or by
a staff API token created in the admin, sent as `Authorization: Bearer TOKEN`.
No credentials: 401; credentials of someone who is not staff: 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from ninja import Router, Schema, Status

from trunkshow.campaigns.streams import (
    staff_of_token,
    stream_pin,
    stream_set_status,
    stream_state,
    stream_unpin,
    viewer_count,
)
from trunkshow.common.api_errors import ApiError

router = Router(tags=["streams"])


def _csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    check = CsrfViewMiddleware(lambda r: HttpResponse())
    check.process_request(request)
    return check.process_view(request, lambda r: HttpResponse(), (), {})


def require_staff(
    request: HttpRequest, *, refusal: str = "Only staff may pin products on a stream."
) -> Any:
    """Return the staff user making the request, or raise 401/403 as the contract says."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip() or len(token) > 200:
            raise ApiError(401, "unauthenticated", "Send 'Authorization: Bearer TOKEN'.")
        user = staff_of_token(token.strip())
        if user is None:
            raise ApiError(401, "unauthenticated", "Unknown or revoked API token.")
    else:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            raise ApiError(401, "unauthenticated", "Sign in as staff or send a staff API token.")
        if _csrf_refusal(request) is not None:
            raise ApiError(403, "csrf_failed", "The CSRF token is missing or wrong.")
    if not user.is_staff:
        raise ApiError(403, "forbidden", refusal)
    return user


class PinIn(Schema):
    sku: str


class PinCreatedOut(Schema):
    sku: str
    pinned_at: str


class StatusIn(Schema):
    status: str


class StreamStaffOut(Schema):
    id: int
    status: str
    viewers: int


@router.post(
    "/streams/{stream_id}/pins",
    response={201: PinCreatedOut},
    summary="Pin a product on a livestream (staff); every viewer sees it within 2 s",
)
def pin(request: HttpRequest, stream_id: int, payload: PinIn) -> Status[dict[str, Any]]:
    require_staff(request)
    row = stream_pin(stream_id=stream_id, sku=payload.sku)
    return Status(201, {"sku": row.sku, "pinned_at": row.pinned_at.isoformat()})


@router.delete(
    "/streams/{stream_id}/pins/{sku}",
    response={204: None},
    summary="Unpin a product (staff); the replay keeps it at its moment",
)
def unpin(request: HttpRequest, stream_id: int, sku: str) -> Status[None]:
    require_staff(request)
    stream_unpin(stream_id=stream_id, sku=sku)
    return Status(204, None)


@router.post(
    "/streams/{stream_id}/status",
    response=StreamStaffOut,
    summary="Put a stream on air or end it (staff)",
)
def set_status(request: HttpRequest, stream_id: int, payload: StatusIn) -> dict[str, Any]:
    require_staff(request)
    stream = stream_set_status(stream_id=stream_id, status=payload.status)
    return {"id": stream.pk, "status": stream.status, "viewers": viewer_count(stream.pk)}


@router.get(
    "/streams/{stream_id}/viewers",
    response=StreamStaffOut,
    summary="How many viewers follow the stream's events now (staff)",
)
def viewers(request: HttpRequest, stream_id: int) -> dict[str, Any]:
    require_staff(request)
    state = stream_state(stream_id=stream_id)
    if state is None:
        raise ApiError(404, "unknown_stream", f"No stream {stream_id}.")
    return {"id": stream_id, "status": state[0], "viewers": viewer_count(stream_id)}
