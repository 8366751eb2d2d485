"""Livestreams and staff API tokens in the admin.

A token is shown once, in the message after it is created; only its SHA-256 is kept.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from trunkshow.campaigns.models import StaffApiToken, Stream, StreamPin
from trunkshow.campaigns.streams import staff_token_create


class StreamPinInline(admin.TabularInline[StreamPin, Stream]):
    model = StreamPin
    extra = 0
    fields = ["sku", "pinned_at", "unpinned_at"]
    readonly_fields = ["sku", "pinned_at", "unpinned_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # pins are made on air, from the control page or the API


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin[Stream]):
    list_display = ["__str__", "campaign", "status", "scheduled_at", "started_at"]
    list_filter = ["status", "campaign"]
    fields = [
        "campaign", "titles", "scheduled_at", "status", "started_at", "ended_at",
        "hls_url", "hls_path", "poster",
    ]  # fmt: skip
    inlines = [StreamPinInline]


class StaffApiTokenForm(forms.ModelForm[StaffApiToken]):
    class Meta:
        model = StaffApiToken
        fields = ["user", "name"]

    def clean_user(self) -> Any:
        user = self.cleaned_data["user"]
        if not user.is_staff:
            raise forms.ValidationError(_("Only staff may have an API token."))
        return user


@admin.register(StaffApiToken)
class StaffApiTokenAdmin(admin.ModelAdmin[StaffApiToken]):
    form = StaffApiTokenForm
    list_display = ["name", "user", "created_at", "last_used_at"]
    readonly_fields = ["created_at", "last_used_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: StaffApiToken, form: Any, change: bool) -> None:
        row, token = staff_token_create(user=obj.user, name=obj.name)
        obj.pk = row.pk
        obj.token_hash = row.token_hash
        obj.created_at = row.created_at
        messages.warning(
            request,
            _("Copy the token now, it is not shown again: %(token)s") % {"token": token},
        )
