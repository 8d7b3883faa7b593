"""Imports of the register: jobs (upload → mapping → preview → commit), saved mappings, RNA
candidates waiting for staff to qualify them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    ORGANIZATIONS = "organizations", _("Organisations")
    PEOPLE = "people", _("People and their affiliations")
    MEMBERSHIPS = "memberships", _("Memberships")


class SavedMapping(models.Model):
    """Which column of a file goes to which field, named to be reused for the next file."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("import of"), max_length=20, choices=Kind.choices)
    # {column header: field key}; columns not listed are ignored.
    columns = models.JSONField(_("columns"), default=dict)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("saved mapping")
        verbose_name_plural = _("saved mappings")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="unique_mapping_name_per_kind")
        ]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        MAPPED = "mapped", _("Columns mapped")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", pgettext_lazy("import", "Done")
        FAILED = "failed", _("Failed, nothing changed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("import of"), max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    file = models.FileField(_("file"), upload_to="imports/")
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_format = models.CharField(_("format"), max_length=4)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("separator"), max_length=1, blank=True)
    headers = models.JSONField(_("columns of the file"), default=list)
    mapping = models.JSONField(_("mapping"), default=dict)
    # {row number: "create" | "skip" | "update:<pk>"}: the choices staff made in the preview.
    decisions = models.JSONField(_("choices"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    error_rows = models.PositiveIntegerField(_("rows with errors"), null=True, blank=True)
    created_count = models.PositiveIntegerField(pgettext_lazy("rows", "created"), default=0)
    updated_count = models.PositiveIntegerField(pgettext_lazy("rows", "updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    report = models.FileField(_("report"), upload_to="imports/reports/", blank=True)
    failure = models.TextField(_("reason of the failure"), blank=True)
    created_at = models.DateTimeField(_("uploaded on"), auto_now_add=True)
    started_at = models.DateTimeField(_("started on"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"


class RnaCandidate(models.Model):
    """An association of the RNA whose social object marks international action."""

    class State(models.TextChoices):
        NEW = "new", _("To qualify")
        CREATED = "created", _("Created in the register")
        LINKED = "linked", _("Linked to an organisation")
        DISMISSED = "dismissed", _("Dismissed")

    rna = models.CharField(_("RNA number"), max_length=10, unique=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    name = models.CharField(_("name"), max_length=500)
    short_name = models.CharField(_("short name"), max_length=255, blank=True)
    social_object = models.TextField(_("social object"), blank=True)
    object_codes = models.CharField(_("social-object codes"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    commune_name = models.CharField(_("commune"), max_length=100, blank=True)
    insee_code = models.CharField(_("INSEE code"), max_length=5, blank=True)
    website = models.CharField(_("website"), max_length=300, blank=True)
    created_on = models.DateField(_("declared on"), null=True, blank=True)
    matched_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation of the register"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.NEW, db_index=True
    )
    imported_at = models.DateTimeField(_("imported on"), auto_now_add=True)

    class Meta:
        ordering = ["state", "name"]
        verbose_name = _("RNA candidate")
        verbose_name_plural = _("RNA candidates")

    def __str__(self) -> str:
        return f"{self.name} ({self.rna})"
