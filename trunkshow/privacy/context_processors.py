from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from trunkshow.common.consent import request_consent


def consent(request: HttpRequest) -> dict[str, Any]:
    """The visitor's consent, for the banner (shown until a choice is made)."""
    if request.path_info.startswith(("/api/", "/admin/")):
        return {}
    return {"consent": request_consent(request)}
