from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyRequest(models.Model):
    """A shopper's request to export or erase their data, and how far it got.

    The e-mailed link carries a signed id (django.core.signing), never stored;
    once the request is erased its e-mail is blanked, so staff see that it was
    done and when, not whose data it was.
    """

    class Kind(models.TextChoices):
        EXPORT = "export", _("Export")
        ERASE = "erase", _("Erase")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        LINK_SENT = "link_sent", _("Link sent")
        NOTHING_HELD = "nothing_held", _("Nothing held")
        CONFIRMED = "confirmed", _("Confirmed, being processed")
        DONE = "done", _("Done")
        CLOSED = "closed", _("Closed: the shopper's data was erased")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    email = models.EmailField(max_length=254, blank=True)
    visitor_id = models.CharField(max_length=64, blank=True, db_index=True)
    locale = models.CharField(max_length=16, default="en")
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    # "api", "page" or the staff member's username.
    requested_by = models.CharField(max_length=150, blank=True)
    # What the handlers found (trunkshow/common/personal_data.Subject), kept so
    # an erase that stopped part-way finishes with the same list on re-run.
    subject = models.JSONField(default=dict, blank=True)
    steps_done = models.JSONField(default=list, blank=True)
    export_file = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "confirmed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"
