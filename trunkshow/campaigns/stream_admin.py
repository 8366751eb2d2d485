"""Livestreams and staff API tokens in the admin.

A token is shown once, in the message after it is created; only its SHA-256 is kept.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from trunkshow.campaigns.models import StaffApiToken, Stream, StreamPin
from trunkshow.campaigns.stream_recording import stream_recording_queue
from trunkshow.campaigns.streams import staff_token_create
from trunkshow.common.asgi_body import ADMIN_UPLOAD_MAX_BYTES
from trunkshow.engines.video.hls import check_stream_video
from trunkshow.engines.video.normalize import NotAVideo


class StreamPinInline(admin.TabularInline[StreamPin, Stream]):
    model = StreamPin
    extra = 0
    fields = ["sku", "pinned_at", "unpinned_at"]
    readonly_fields = ["sku", "pinned_at", "unpinned_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # pins are made on air, from the control page or the API


class StreamForm(forms.ModelForm[Stream]):
    class Meta:
        model = Stream
        fields = [
            "campaign", "titles", "scheduled_at", "status", "started_at", "ended_at",
            "hls_url", "recording", "hls_path", "poster",
        ]  # fmt: skip

    def clean_recording(self) -> Any:
        upload = self.cleaned_data.get("recording")
        if not upload or "recording" not in self.changed_data:
            return upload
        if upload.size > ADMIN_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The video file is larger than 2 GB."))
        # Checked by content: FFmpeg reads the bytes; the file's name proves nothing.
        path = getattr(upload, "temporary_file_path", lambda: None)()
        with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
            if path is None:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                path = handle.name
            try:
                check_stream_video(Path(path))
            except NotAVideo as exc:
                raise forms.ValidationError(
                    _("This file is not a video: %(why)s."), params={"why": exc}
                ) from exc
        upload.seek(0)
        return upload


@admin.register(Stream)
class StreamAdmin(admin.ModelAdmin[Stream]):
    form = StreamForm
    list_display = ["__str__", "campaign", "status", "scheduled_at", "recording_status"]
    list_filter = ["status", "campaign"]
    readonly_fields = ["recording_status", "recording_error"]
    inlines = [StreamPinInline]

    fields = [*StreamForm.Meta.fields, "recording_status", "recording_error"]

    def save_model(self, request: HttpRequest, obj: Stream, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if "recording" in form.changed_data and obj.recording:
            stream_recording_queue(stream_id=obj.pk)
            messages.info(
                request, _("The video is being packaged as HLS; the player uses it when ready.")
            )


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
