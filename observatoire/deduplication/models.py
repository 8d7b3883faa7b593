"""Candidate pairs of duplicate organisations, and the merges made from them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from observatoire.organizations.models import Organization

from .matching import translate_reasons


class DuplicateCandidateQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=DuplicateCandidate.Status.OPEN)


class DuplicateCandidate(models.Model):
    """Two organisations that may be one; `first` has the smaller id so a pair is stored once."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        DISMISSED = "dismissed", _("Not a duplicate")
        MERGED = "merged", _("Merged")

    first = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    second = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("possible duplicate"),
    )
    score = models.FloatField(_("score"), db_index=True)
    # Codes of matching.REASONS, translated when shown: staff read them in their own language.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    found_at = models.DateTimeField(_("found on"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated on"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_candidate_per_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="candidate_pair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} / {self.second}"

    @property
    def reason_labels(self) -> list[str]:
        return translate_reasons(self.reasons)


class MergeRecord(models.Model):
    """One merge, with what is needed to undo it exactly."""

    survivor = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation kept"),
    )
    merged = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation merged"),
    )
    candidate = models.ForeignKey(
        DuplicateCandidate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merges",
        verbose_name=_("possible duplicate"),
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged on"), auto_now_add=True)
    # The survivor's fields before, the merged record's state before, the rows moved.
    undo_data = models.JSONField(default=dict, editable=False)
    summary = models.JSONField(_("summary"), default=dict, blank=True, editable=False)
    undone_at = models.DateTimeField(_("undone on"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")

    def __str__(self) -> str:
        return f"{self.merged} → {self.survivor}"
