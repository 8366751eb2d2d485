from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from trunkshow.common.locales import current_locale
from trunkshow.privacy import services
from trunkshow.privacy.models import PrivacyRequest


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(admin.ModelAdmin[PrivacyRequest]):
    """The log of requests and their completion; erased requests show no person."""

    list_display = [
        "pk",
        "kind",
        "status",
        "requested_by",
        "created_at",
        "confirmed_at",
        "completed_at",
    ]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "status",
        "requested_by",
        "steps_done",
        "created_at",
        "confirmed_at",
        "completed_at",
    ]
    exclude = ["subject", "export_file"]

    def get_fields(self, request: HttpRequest, obj: PrivacyRequest | None = None) -> Any:
        if obj is None:
            # Staff start a request as a shopper would: the link goes to the address.
            return ["kind", "email", "locale"]
        return ["kind", "email", "locale", *self.readonly_fields]

    def has_change_permission(
        self, request: HttpRequest, obj: PrivacyRequest | None = None
    ) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: PrivacyRequest, form: Any, change: bool
    ) -> None:
        made = services.privacy_request_create(
            kind=obj.kind,
            email=obj.email,
            visitor_id="",
            locale=obj.locale or current_locale(),
            requested_by=request.user.get_username(),
        )
        obj.pk = made.pk
