from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from trunkshow.common.jobs import enqueue_bulk
from trunkshow.engines.video.normalize import NotAVideo, check_video
from trunkshow.video.models import DesignerClip, VideoMessage
from trunkshow.video.selectors import render_backlog

MAX_UPLOAD_BYTES = 500 * 1024 * 1024


class DesignerClipForm(forms.ModelForm[DesignerClip]):
    class Meta:
        model = DesignerClip
        fields = ["kind", "profile_key", "product_slug", "source", "subtitles"]

    def clean_source(self) -> Any:
        upload = self.cleaned_data["source"]
        if upload is None:
            return upload
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The clip is larger than 500 MB."))
        # Checked by content: FFmpeg reads the bytes; the file's name proves nothing.
        path = getattr(upload, "temporary_file_path", lambda: None)()
        if path is None:
            import tempfile

            with tempfile.NamedTemporaryFile(suffix=".upload") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                self._check(handle.name)
            upload.seek(0)
        else:
            self._check(path)
        return upload

    @staticmethod
    def _check(path: str) -> None:
        from pathlib import Path

        try:
            check_video(Path(path))
        except NotAVideo as exc:
            raise forms.ValidationError(
                _("This file is not a video: %(why)s."), params={"why": exc}
            ) from exc


@admin.register(DesignerClip)
class DesignerClipAdmin(admin.ModelAdmin[DesignerClip]):
    form = DesignerClipForm
    list_display = ["kind", "profile_key", "product_slug", "status", "frames", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["status", "error", "frames", "segment", "stream", "source_sha256"]

    def save_model(self, request: HttpRequest, obj: DesignerClip, form: Any, change: bool) -> None:
        obj.status = DesignerClip.Status.PENDING
        super().save_model(request, obj, form, change)
        from trunkshow.video.tasks import normalize_designer_clip

        transaction.on_commit(lambda: enqueue_bulk(normalize_designer_clip, obj.pk))


@admin.register(VideoMessage)
class VideoMessageAdmin(admin.ModelAdmin[VideoMessage]):
    list_display = ["token", "status", "locale", "attempts", "created_at", "ready_at"]
    list_filter = ["status", "locale"]
    readonly_fields = [f.name for f in VideoMessage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # On a campaign day staff watch the queue here (and in /healthz/worker).
        backlog = render_backlog()
        if backlog.oldest_queued_seconds is None:
            text = _("Render backlog: none queued, %(rendering)d rendering.") % {
                "rendering": backlog.rendering
            }
        else:
            text = _(
                "Render backlog: %(queued)d queued (the oldest for %(age)s s), "
                "%(rendering)d rendering."
            ) % {
                "queued": backlog.queued,
                "age": f"{backlog.oldest_queued_seconds:.0f}",
                "rendering": backlog.rendering,
            }
        messages.info(request, text)
        return super().changelist_view(request, extra_context)
