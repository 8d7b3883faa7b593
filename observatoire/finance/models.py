"""The money of a project: budget lines and their versions, funding, transactions, applications to
funders with the reports they oblige, and the reports themselves.

Amounts are `Decimal`. An amount in another currency than EUR carries the rate used
(1 unit of the currency = `rate_to_eur` EUR) and its EUR value, stored so that totals never
depend on today's rate.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from observatoire.core.models import TimeStampedModel
from observatoire.organizations.models import Organization
from observatoire.projects.models import PERCENT_VALIDATORS, Project, ProjectPartner

CENT = Decimal("0.01")
EUR = "EUR"

currency_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Give the currency as its three-letter ISO 4217 code, e.g. EUR, XOF, MAD.")
)


def money_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class ConvertedAmount(models.Model):
    """An amount in its currency, the rate to EUR used, and its EUR value."""

    amount = money_field(_("amount"))
    currency = models.CharField(
        _("currency"), max_length=3, default=EUR, validators=[currency_validator]
    )
    rate_to_eur = models.DecimalField(
        _("rate to EUR"),
        max_digits=14,
        decimal_places=8,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_("Value of one unit of the currency in euros, as used by the funder."),
    )
    amount_eur = money_field(_("amount (EUR)"), editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.currency == EUR:
            self.rate_to_eur = None
            self.amount_eur = self.amount
        elif self.rate_to_eur:
            self.amount_eur = (self.amount * self.rate_to_eur).quantize(CENT, ROUND_HALF_UP)
        else:
            raise ValidationError(_("An amount in another currency needs its rate to EUR."))
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.currency and self.currency != EUR and not self.rate_to_eur:
            raise ValidationError(
                {
                    "rate_to_eur": _("An amount in %(currency)s needs the rate used to convert it.")
                    % {"currency": self.currency}
                }
            )


# Budget ---------------------------------------------------------------------------------------


class BudgetLine(models.Model):
    """A line of the budget. It lives across versions: each version gives it an amount."""

    class Category(models.TextChoices):
        STAFF = "staff", pgettext_lazy("budget category", "Staff")
        TRAVEL = "travel", _("Travel and missions")
        EQUIPMENT = "equipment", _("Equipment and supplies")
        WORKS = "works", _("Works")
        SERVICES = "services", _("Services and expertise")
        TRAINING = "training", _("Training and capacity building")
        COMMUNICATION = "communication", _("Communication and capitalisation")
        EVALUATION = "evaluation", _("Evaluation and audit")
        OPERATING = "operating", _("Operating costs")
        OVERHEADS = "overheads", _("Overheads")
        CONTINGENCY = "contingency", _("Contingency")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    label = models.CharField(_("label"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    partner = models.ForeignKey(
        ProjectPartner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("spent by"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["project", "position", "category", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        year = f" {self.year}" if self.year else ""
        return f"{self.get_category_display()} – {self.label}{year}"


class BudgetVersion(TimeStampedModel):
    """The budget at one moment: the original one, then each revision."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Original")
        REVISED = "revised", _("Revised")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_versions")
    number = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=200, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["project", "number"]
        verbose_name = _("budget version")
        verbose_name_plural = _("budget versions")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="budget_version_number")
        ]

    def __str__(self) -> str:
        return self.label or f"{self.get_kind_display()} (v{self.number})"


class BudgetAmount(ConvertedAmount):
    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="amounts")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="amounts")

    class Meta:
        verbose_name = _("budgeted amount")
        verbose_name_plural = _("budgeted amounts")
        constraints = [
            models.UniqueConstraint(fields=["version", "line"], name="budget_amount_one_per_line")
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.amount} {self.currency}"


class Reallocation(TimeStampedModel):
    """Amounts moved between lines, with the reason and the funder's approval.

    Applying it creates the revised budget version `result`.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reallocations")
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    from_version = models.ForeignKey(
        BudgetVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("from version")
    )
    result = models.OneToOneField(
        BudgetVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reallocation",
        verbose_name=_("resulting version"),
    )
    approved_by = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by (funder)"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approval_reference = models.CharField(_("approval reference"), max_length=200, blank=True)
    approval_document = models.FileField(
        _("approval (document)"), upload_to="finance/approvals/", blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("reallocation")
        verbose_name_plural = _("reallocations")

    def __str__(self) -> str:
        return _("Reallocation of %(date)s") % {"date": self.date}


class ReallocationMove(models.Model):
    reallocation = models.ForeignKey(Reallocation, on_delete=models.CASCADE, related_name="moves")
    from_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("from line")
    )
    to_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="+", verbose_name=_("to line")
    )
    amount = money_field(_("amount (EUR)"), validators=[MinValueValidator(CENT)])

    class Meta:
        verbose_name = _("amount moved")
        verbose_name_plural = _("amounts moved")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_line=models.F("to_line")), name="move_between_two_lines"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="move_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.from_line} → {self.to_line}: {self.amount}"


class Extension(TimeStampedModel):
    """A no-cost extension: the project ends later, with the funder's approval."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="extensions")
    requested_on = models.DateField(_("requested on"))
    previous_end = models.DateField(_("previous end"))
    new_end = models.DateField(_("new end"))
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by (funder)"),
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_on"]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")

    def clean(self):
        super().clean()
        if self.previous_end and self.new_end and self.new_end <= self.previous_end:
            raise ValidationError({"new_end": _("An extension ends after the previous end.")})


# Funding --------------------------------------------------------------------------------------


class FunderKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry (DAECT calls)")
    AFD = "afd", _("French Development Agency (AFD)")
    EU = "eu", _("European Union")
    REGION = "region", _("Region")
    DEPARTEMENT = "departement", _("Département")
    MUNICIPALITY = "municipality", _("Municipality or intermunicipality")
    WATER_AGENCY = "water_agency", _("Water agency")
    FOUNDATION = "foundation", _("Foundation")
    OWN_FUNDS = "own_funds", _("Own funds of a partner")
    OTHER = "other", _("Other")


class FundingApplication(TimeStampedModel):
    """An application to a funder, from draft to decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        GRANTED = "granted", pgettext_lazy("application status", "Granted")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="funding_applications"
    )
    funder = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("funder")
    )
    funder_kind = models.CharField(_("kind of funder"), max_length=20, choices=FunderKind.choices)
    call = models.CharField(_("call or programme"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    amount_requested = money_field(_("amount requested (EUR)"), validators=[MinValueValidator(0)])
    amount_granted = money_field(
        _("amount granted (EUR)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    deadline = models.DateField(_("submission deadline"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decision on"), null=True, blank=True)
    reference = models.CharField(_("funder's reference"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-deadline", "-pk"]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")

    def __str__(self) -> str:
        return f"{self.funder} – {self.call or self.project}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        FundingApplication, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="finance/applications/%Y/")
    added_on = models.DateField(_("added on"), auto_now_add=True)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.title


class Funding(models.Model):
    """A funder's part in the funding plan: requested, granted; received comes from transactions."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="fundings")
    funder = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="fundings", verbose_name=_("funder")
    )
    funder_kind = models.CharField(_("kind of funder"), max_length=20, choices=FunderKind.choices)
    application = models.OneToOneField(
        FundingApplication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding",
        verbose_name=_("application"),
    )
    requested = money_field(_("requested (EUR)"), validators=[MinValueValidator(0)])
    granted = money_field(
        _("granted (EUR)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # The funder's rule, e.g. "at most 50 % of the eligible budget".
    max_share = models.DecimalField(
        _("maximum share of the budget (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
    )
    is_in_kind = models.BooleanField(_("in kind"), default=False)

    class Meta:
        ordering = ["project", "-requested"]
        verbose_name = _("funding")
        verbose_name_plural = _("funding plan")
        constraints = [
            models.UniqueConstraint(fields=["project", "funder"], name="funding_one_per_funder")
        ]

    def __str__(self) -> str:
        return f"{self.funder} ({self.project})"


class Transaction(ConvertedAmount):
    """A money movement, typed as in IATI (TransactionType codelist)."""

    class Kind(models.TextChoices):
        INCOMING_FUNDS = "1", _("Incoming funds")
        COMMITMENT = "2", _("Outgoing commitment")
        DISBURSEMENT = "3", _("Disbursement")
        EXPENDITURE = "4", _("Expenditure")
        INCOMING_COMMITMENT = "11", _("Incoming commitment")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transactions")
    kind = models.CharField(_("kind"), max_length=2, choices=Kind.choices)
    date = models.DateField(_("date"), db_index=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
        verbose_name=_("budget line"),
    )
    # The partner who spends or receives; deleting a partner that has transactions is refused.
    partner = models.ForeignKey(
        ProjectPartner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
        verbose_name=_("partner"),
    )
    funder = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funder (incoming funds)"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "date", "pk"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        indexes = [models.Index(fields=["project", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.amount} {self.currency}"


# Reports ---------------------------------------------------------------------------------------


class ReportingObligation(TimeStampedModel):
    """A report a granted application obliges, with its due date (the worker sends reminders)."""

    class Kind(models.TextChoices):
        NARRATIVE = "narrative", _("Narrative report")
        FINANCIAL = "financial", _("Financial report")
        BOTH = "both", _("Narrative and financial report")

    class Status(models.TextChoices):
        DUE = "due", _("To send")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted by the funder")

    application = models.ForeignKey(
        FundingApplication, on_delete=models.CASCADE, related_name="obligations"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DUE
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    report = models.ForeignKey(
        "Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obligations",
        verbose_name=_("report"),
    )
    # The dates reminders were sent, so that the sweep sends each one once.
    reminded_at = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("reporting obligation")
        verbose_name_plural = _("reporting obligations")

    def __str__(self) -> str:
        return self.title


class Report(TimeStampedModel):
    """A narrative and financial report for a period; closing it freezes a dated version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=255)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    funder = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for the funder"),
    )
    activities = models.TextField(_("activities done"), blank=True)
    difficulties = models.TextField(_("difficulties and adjustments"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["project", "-period_end"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class ReportVersion(models.Model):
    """The report as produced on a date: figures frozen, PDF and XLSX kept."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    produced_at = models.DateTimeField(_("produced at"), auto_now_add=True)
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("produced by"),
    )
    # The financial statement and indicator values as computed then (Decimals as strings).
    figures = models.JSONField(_("figures"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="finance/reports/%Y/")
    xlsx = models.FileField(_("spreadsheet"), upload_to="finance/reports/%Y/")

    class Meta:
        ordering = ["report", "-number"]
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"
