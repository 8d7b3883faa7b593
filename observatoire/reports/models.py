"""The annual report: a template staff edit (sections of narrative and automatic blocks) and the
snapshots that freeze its figures.

Every figure comes from the observatory (`observatoire.observatory.figures.collect`); a snapshot
stores that whole dict, so a published report never changes when records do.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import blocks


class Snapshot(models.Model):
    """The figures of a period frozen at a date: the whole `collect()` dict."""

    year = models.PositiveIntegerField(_("year"))
    period_start = models.DateField(_("start of the period"))
    period_end = models.DateField(_("end of the period"))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    figures = models.JSONField(_("figures"))
    data_date = models.DateTimeField(_("data date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    created_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("snapshot of figures")
        verbose_name_plural = _("snapshots of figures")

    def __str__(self) -> str:
        return f"{self.year} — {self.data_date:%Y-%m-%d %H:%M}"


class AnnualReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=AnnualReport.Status.PUBLISHED)


class AnnualReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Plain text; leave an empty line between paragraphs."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    snapshot = models.ForeignKey(
        Snapshot,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("snapshot of figures"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(status="published"),
                name="reports_one_published_report_per_year",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Section(models.Model):
    report = models.ForeignKey(
        AnnualReport, on_delete=models.CASCADE, related_name="sections", verbose_name=_("report")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_("Plain text; leave an empty line between paragraphs."),
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class Block(models.Model):
    """An automatic block of a section: a key of the registry in `blocks.py`."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("section")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    # No `choices`: the registry grows without a migration; forms and services check the key.
    kind = models.CharField(_("block"), max_length=40)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")

    def __str__(self) -> str:
        return str(self.block_type.label) if self.block_type else self.kind

    @property
    def block_type(self) -> "blocks.BlockType | None":
        return blocks.REGISTRY.get(self.kind)
