from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from observatoire.organizations.models import Organization


class SubmissionQuerySet(models.QuerySet):
    def open(self):
        """Waiting for staff, or sent back to the editor: not decided yet."""
        return self.filter(status__in=[Submission.Status.PENDING, Submission.Status.CHANGES])

    def pending(self):
        return self.filter(status=Submission.Status.PENDING)


class Submission(models.Model):
    """What an organisation editor asks to publish or change, waiting for staff to decide.

    For organisation details, `changes` holds the proposed values: the public page keeps the
    old ones until staff approve. For a project, event or news item, approval publishes it.
    """

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organisation details")
        PROJECT = "project", _("Project")
        EVENT = "event", _("Event")
        NEWS = "news", _("News item")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        CHANGES = "changes_requested", _("Changes requested")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    # {field: value} for organisation details: scalars as typed, relations as lists of ids.
    changes = models.JSONField(_("proposed changes"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Staff's message when asking for changes, or the reason of a rejection.
    message = models.TextField(_("message to the editor"), max_length=4000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organization}"
