"""The follow-up of a laureate: its grant agreement, payment schedule, payments and reports due.

A grant belongs to one laureate application of a call (`calls.Application`). Amounts are EUR
`Decimal`s; the amount of the agreement is the amount the committee granted.
"""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from observatoire.core.models import TimeStampedModel

DOCUMENT_EXTENSIONS = ["pdf", "odt", "doc", "docx", "jpg", "jpeg", "png"]
MAX_DOCUMENT_MB = 10


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


document_validators = [FileExtensionValidator(DOCUMENT_EXTENSIONS)]


class Grant(TimeStampedModel):
    """A laureate's grant: the agreement signed with it, and the project built from it."""

    application = models.OneToOneField(
        "calls.Application",
        on_delete=models.CASCADE,
        related_name="grant",
        verbose_name=_("application"),
    )
    amount = money_field(_("amount granted (EUR)"), validators=[MinValueValidator(0)])
    reference = models.CharField(_("agreement reference"), max_length=100, blank=True)
    signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_file = models.FileField(
        _("signed agreement"),
        upload_to="grants/agreements/%Y/",
        blank=True,
        validators=document_validators,
    )
    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grant",
        verbose_name=_("project"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["application__call", "application__project_title"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self) -> str:
        return str(self.application.project_title)


class Instalment(models.Model):
    """A planned payment of the schedule, with the condition it waits for."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="instalments")
    expected_on = models.DateField(_("expected on"))
    amount = money_field(_("amount (EUR)"), validators=[MinValueValidator(0)])
    condition = models.CharField(
        _("condition"),
        max_length=200,
        blank=True,
        help_text=_("For example « on the interim report »."),
    )

    class Meta:
        ordering = ["grant", "expected_on", "pk"]
        verbose_name = _("instalment")
        verbose_name_plural = _("payment schedule")

    def __str__(self) -> str:
        return f"{self.expected_on} {self.amount}"


class Payment(models.Model):
    """Money paid to the laureate."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("date of payment"))
    amount = money_field(_("amount (EUR)"))
    instalment = models.ForeignKey(
        Instalment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("instalment"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["grant", "paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount}"


class ReportDue(TimeStampedModel):
    """A report the laureate owes, with its due date; the worker reminds before and after it."""

    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim report")
        FINAL = "final", _("Final report")

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("due on"), db_index=True)
    received_on = models.DateField(_("date received"), null=True, blank=True)
    file = models.FileField(
        _("report"), upload_to="grants/reports/%Y/", blank=True, validators=document_validators
    )
    # The reminders sent ({"stage": "before"|"overdue", "at": ISO time}): each one goes once.
    reminded_at = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["grant", "due_on", "pk"]
        verbose_name = _("report due")
        verbose_name_plural = _("reports due")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.due_on})"

    @property
    def is_received(self) -> bool:
        return self.received_on is not None
