"""Review and selection of the applications to a call: jury, assignments, scores, committees."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.core.models import TimeStampedModel


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Reviewer(TimeStampedModel):
    """A jury member of a call: a staff user, or an outside person invited by e-mail.

    Outside members have no account: their invitation link opens a reviewer session limited
    to /jury/ (see access.py), so they never reach a staff page.
    """

    call = models.ForeignKey(
        "calls.Call", on_delete=models.CASCADE, related_name="reviewers", verbose_name=_("call")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviewer_seats",
        verbose_name=_("staff member"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer_seats",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "organizations.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewer_seats",
        verbose_name=_("person in the register"),
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_at = models.DateTimeField(_("invited on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["call", "name", "email"]
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"],
                condition=models.Q(user__isnull=False),
                name="selection_one_seat_per_user",
                violation_error_message=_("This person is already a jury member of this call."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.name or self.email

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user_id else self.email

    @property
    def is_outside(self) -> bool:
        return self.user_id is None


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Assignment.Status.ASSIGNED)


class Assignment(TimeStampedModel):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        DECLARED_CONFLICT = "declared_conflict", _("Conflict declared")
        REMOVED = "removed", _("Removed")

    reviewer = models.ForeignKey(
        Reviewer, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("reviewer")
    )
    application = models.ForeignKey(
        "calls.Application",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("application"),
    )
    stage = models.ForeignKey(
        "calls.Stage", on_delete=models.CASCADE, related_name="+", verbose_name=_("stage")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ASSIGNED
    )
    conflict_flag = models.BooleanField(_("conflict of interest detected"), default=False)
    conflict_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    override_reason = models.TextField(_("reason for overruling"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overruled by"),
    )
    overridden_at = models.DateTimeField(_("overruled on"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["application", "reviewer"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["reviewer", "application", "stage"], name="selection_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.application}"


class ConflictDeclaration(models.Model):
    """A conflict of interest the reviewer declared: the assignment is withdrawn."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="declarations"
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("date of the declaration"), default=timezone.now)

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")

    def __str__(self) -> str:
        return self.reason[:80]


class Criterion(models.Model):
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="criteria")
    stage = models.ForeignKey(
        "calls.Stage", on_delete=models.CASCADE, related_name="criteria", verbose_name=_("stage")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance for reviewers"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest mark"), default=5, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["stage", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.label


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("mark"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="selection_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Review(models.Model):
    class Recommendation(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("No")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    recommendation = models.CharField(
        _("recommendation"), max_length=5, choices=Recommendation.choices, blank=True
    )
    comment = models.TextField(_("general comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.assignment)


class Committee(TimeStampedModel):
    """The selection committee of a stage. Once held, the reviews of that stage are locked."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="committees")
    stage = models.ForeignKey(
        "calls.Stage", on_delete=models.CASCADE, related_name="committees", verbose_name=_("stage")
    )
    held_on = models.DateField(_("date of the committee"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("attendees")
    )
    reviewer_attendees = models.ManyToManyField(
        Reviewer, blank=True, related_name="committees", verbose_name=_("jury members present")
    )
    other_attendees = models.TextField(_("other attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    notified_at = models.DateTimeField(_("applicants notified on"), null=True, blank=True)

    class Meta:
        ordering = ["call", "held_on"]
        verbose_name = _("selection committee")
        verbose_name_plural = _("selection committees")

    def __str__(self) -> str:
        return f"{self.call} — {self.held_on:%d/%m/%Y}"

    def has_met(self, today=None) -> bool:
        return self.held_on <= (today or timezone.localdate())


class Decision(models.Model):
    class Outcome(models.TextChoices):
        INVITED = "invited", _("Invited to the next stage")
        FINALIST = "finalist", _("Finalist")
        LAUREATE = "laureate", _("Laureate")
        NOT_SELECTED = "not_selected", _("Not selected")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="decisions")
    application = models.ForeignKey(
        "calls.Application", on_delete=models.CASCADE, related_name="decisions"
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    amount_granted = models.DecimalField(
        _("amount granted (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    feedback = models.TextField(_("feedback to the applicant"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    notified_at = models.DateTimeField(_("applicant notified on"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "application"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "application"], name="selection_one_decision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} — {self.get_outcome_display()}"
