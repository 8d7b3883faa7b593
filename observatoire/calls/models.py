"""Calls for proposals run by the network: calls, stages, their forms and the applications."""

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.core.models import TimeStampedModel
from observatoire.organizations.models import Organization
from observatoire.referentials.models import SDG, Departement, OrganizationKind, Theme


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CallQuerySet(models.QuerySet):
    def published(self):
        """Calls shown on the public pages (drafts never are)."""
        return self.filter(is_published=True).exclude(status=Call.Status.DRAFT)


class Call(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        ARCHIVED = "archived", _("archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    rules = models.TextField(_("rules"), blank=True)
    budget = models.DecimalField(
        _("budget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    max_amount_per_application = models.DecimalField(
        _("maximum amount per application (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
    )
    eligible_kinds = models.ManyToManyField(
        OrganizationKind, blank=True, related_name="+", verbose_name=_("eligible kinds")
    )
    eligible_departements = models.ManyToManyField(
        Departement, blank=True, related_name="+", verbose_name=_("eligible départements")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    sdgs = models.ManyToManyField(SDG, blank=True, related_name="+", verbose_name=_("SDGs"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("calls:detail", kwargs={"slug": self.slug})

    def ordered_stages(self) -> list["Stage"]:
        """The stages in order, from the prefetched ones when the query prefetched them."""
        return sorted(self.stages.all(), key=lambda stage: stage.number)

    def first_stage(self) -> "Stage | None":
        stages = self.ordered_stages()
        return stages[0] if stages else None

    def current_stage(self, now=None) -> "Stage | None":
        """The stage open now, if any."""
        for stage in self.ordered_stages():
            if stage.is_open(now):
                return stage
        return None

    def is_open(self, now=None) -> bool:
        return self.status == self.Status.OPEN and self.current_stage(now) is not None

    def phase(self, now=None) -> str:
        """open, upcoming or closed for the public listing, from the status and the dates."""
        now = now or timezone.now()
        if self.status in (self.Status.CLOSED, self.Status.ARCHIVED):
            return "closed"
        stages = self.ordered_stages()
        if any(stage.is_open(now) for stage in stages):
            return "open"
        if stages and stages[0].opens_at > now:
            return "upcoming"
        return "closed"


class Stage(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="stages", verbose_name=_("call")
    )
    number = models.PositiveSmallIntegerField(_("number"), choices=[(1, "1"), (2, "2")], default=1)
    name = models.CharField(_("name"), max_length=200)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("deadline"))
    by_invitation = models.BooleanField(_("by invitation only"), default=False)
    instructions = models.TextField(_("instructions"), blank=True)

    class Meta:
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="calls_stage_unique_number")
        ]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return f"{self.call} – {self.name}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class FormField(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        CHOICE = "choice", _("single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("multiple choice")
        AMOUNT = "amount", _("amount (EUR)")
        DATE = "date", _("date")
        BUDGET_TABLE = "budget_table", _("budget table")
        ATTACHMENT = "attachment", _("attachment")

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="fields", verbose_name=_("stage")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=300)
    help_text = models.TextField(_("help text"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("required"), default=False)
    max_words = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    max_size_mb = models.PositiveIntegerField(_("maximum size (MB)"), null=True, blank=True)
    allowed_types = models.JSONField(_("allowed file types"), default=list, blank=True)

    class Meta:
        ordering = ["stage", "order", "pk"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")

    def __str__(self) -> str:
        return self.label


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        """Applications sent at least once and not withdrawn."""
        return self.filter(submitted_at__isnull=False).exclude(
            status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN]
        )

    def active(self):
        return self.exclude(status=Application.Status.WITHDRAWN)


class Application(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        WITHDRAWN = "withdrawn", _("withdrawn")
        INVITED = "invited", _("invited to stage 2")
        NOT_SELECTED = "not_selected", _("not selected")
        FINALIST = "finalist", _("finalist")
        LAUREATE = "laureate", _("laureate")
        REJECTED_INELIGIBLE = "rejected_ineligible", _("rejected (ineligible)")

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="applications", verbose_name=_("call")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_applications",
        verbose_name=_("organisation"),
    )
    referencing_request = models.ForeignKey(
        "referencing.ReferencingRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_applications",
        verbose_name=_("referencing request"),
    )
    project_title = models.CharField(_("project title"), max_length=300, blank=True)
    amount_requested = models.DecimalField(
        _("amount requested (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    stage_reached = models.PositiveSmallIntegerField(
        _("stage reached"), choices=[(1, "1"), (2, "2")], default=1
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    is_eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    eligibility_notes = models.TextField(_("eligibility notes"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organization"],
                condition=~Q(status="withdrawn"),
                name="calls_application_once_per_call",
            )
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.applicant_name} – {self.call}"

    @property
    def applicant_name(self) -> str:
        if self.organization_id:
            return self.organization.name
        if self.referencing_request_id:
            return self.referencing_request.name
        return self.contact_name


class Submission(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("application"),
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("stage")
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "stage"], name="calls_submission_once_per_stage"
            )
        ]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.application} – {self.stage.name}"


class PrivateStorage(FileSystemStorage):
    """Applicants' files live outside MEDIA_ROOT: only the staff download view serves them.

    The location is read from the settings at each use, so tests may point it elsewhere.
    """

    @property
    def base_location(self):
        return settings.CALLS_ATTACHMENTS_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"calls/{instance.submission.application.call_id}/{new_token()}/{filename}"


class Attachment(models.Model):
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("submission"),
    )
    field = models.ForeignKey(
        FormField, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("field")
    )
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=300
    )
    original_name = models.CharField(_("original name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class ApplicationEvent(models.Model):
    """The history of an application shown to staff: who did what, when."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=300)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self) -> str:
        return self.action
