"""Cooperation projects: from the first idea (emergence) to the final report.

A project moves through three phases (DOMAIN.md, "Life of a cooperation project"); each phase has
a checklist built from an editable template. Partners are organisations of the register, in
France or abroad. Money (budgets, funding, transactions, reports) lives in the `finance` app.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire.core.models import TimeStampedModel
from observatoire.events.models import Event
from observatoire.groups.models import Group
from observatoire.organizations.models import Organization, Person, Visibility
from observatoire.partnerships.models import Partnership
from observatoire.referentials.models import (
    SDG,
    Commune,
    Country,
    DacSector,
    SDGTarget,
    Theme,
    latitude_field,
    longitude_field,
)

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Phase(models.TextChoices):
    EMERGENCE = "emergence", _("Emergence")
    CONSTRUCTION = "construction", _("Construction")
    IMPLEMENTATION = "implementation", _("Implementation")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")


# The three phases a project works through, in order; the others are states it ends or pauses in.
WORKING_PHASES = [Phase.EMERGENCE, Phase.CONSTRUCTION, Phase.IMPLEMENTATION]

# Phase -> IATI ActivityStatus code (../shared/data/iati/ActivityStatus.xml):
# 1 Pipeline/identification, 2 Implementation, 3 Finalisation, 4 Closed, 5 Cancelled, 6 Suspended.
IATI_ACTIVITY_STATUS = {
    Phase.EMERGENCE: "1",
    Phase.CONSTRUCTION: "1",
    Phase.IMPLEMENTATION: "2",
    Phase.COMPLETED: "4",
    Phase.SUSPENDED: "6",
}


class ProjectQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_partner(self, organization):
        return self.filter(partners__organization=organization).distinct()


class Project(TimeStampedModel):
    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("address in the site"), max_length=255, unique=True)
    acronym = models.CharField(_("short name"), max_length=50, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.EMERGENCE, db_index=True
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    sdgs = models.ManyToManyField(SDG, blank=True, related_name="+", verbose_name=_("SDGs"))
    sdg_targets = models.ManyToManyField(
        SDGTarget, blank=True, related_name="+", verbose_name=_("SDG targets")
    )
    dac_sectors = models.ManyToManyField(
        DacSector,
        blank=True,
        related_name="+",
        verbose_name=_("DAC sectors"),
        help_text=_("Proposed from the themes; adjust them to the project."),
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries")
    )

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("decentralised cooperation partnership"),
    )
    # Where the project came from: a group's work, an event, or a call (described in words until
    # the network's own calls exist as records).
    origin_group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("born in the group"),
    )
    origin_event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("born at the event"),
    )
    origin_note = models.CharField(
        _("other origin"),
        max_length=255,
        blank=True,
        help_text=_("For example the call for proposals the project answered."),
    )

    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("The public sees the fields marked public of a published project."),
    )
    # {field name: Visibility}; fields not listed take PROJECT_VISIBILITY_DEFAULTS.
    field_visibility = models.JSONField(_("visibility of fields"), default=dict, blank=True)
    partners_may_edit = models.BooleanField(
        _("partners may edit"),
        default=False,
        help_text=_(
            "Editors of every partner organisation may edit this project, not only the lead."
        ),
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_projects",
        verbose_name=_("followed by"),
    )
    currency = models.CharField(
        _("accounting currency"),
        max_length=3,
        default="EUR",
        help_text=_("Budgets and reports are stated in this currency (ISO 4217 code)."),
    )

    history = HistoricalRecords(
        m2m_fields=[themes, sdgs, sdg_targets, dac_sectors, countries],
        excluded_fields=["updated_at"],
    )
    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [models.Index(fields=["phase", "title"])]

    def __str__(self) -> str:
        return self.title

    @property
    def iati_activity_status(self) -> str:
        return IATI_ACTIVITY_STATUS[self.phase]

    @property
    def lead_partner(self):
        return next(
            (p.organization for p in self.partners.all() if p.role == ProjectPartner.Role.LEAD),
            None,
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end comes before the planned start.")
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The actual end comes before the actual start.")
        if errors:
            raise ValidationError(errors)


# Fields whose visibility staff choose, with the default for each. Title, phase, themes, SDGs
# and countries of a published project are always public.
PROJECT_VISIBILITY_DEFAULTS: dict[str, str] = {
    "summary": Visibility.PUBLIC,
    "description": Visibility.PUBLIC,
    "dates": Visibility.PUBLIC,
    "places": Visibility.PUBLIC,
    "partners": Visibility.PUBLIC,
    "budget": Visibility.MEMBERS,
    "funders": Visibility.PUBLIC,
    "results": Visibility.MEMBERS,
    "updates": Visibility.PUBLIC,
    "documents": Visibility.STAFF,
    "stakeholders": Visibility.STAFF,
    "governance": Visibility.STAFF,
}


class ProjectPlace(models.Model):
    """A place where the project acts, abroad or in France, with its share of the budget."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("locality"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune (France)"),
    )
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)
    budget_share = models.DecimalField(
        _("share of the budget (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
    )

    class Meta:
        ordering = ["country__name_fr", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class ProjectPartner(models.Model):
    """An organisation's part in a project. An organisation may hold several roles."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead partner")
        PARTNER = "partner", _("Partner")
        FUNDER = "funder", _("Funder")
        IMPLEMENTING = "implementing", _("Implementing")
        BENEFICIARY = "beneficiary", _("Beneficiary")

    class IatiRole(models.TextChoices):
        # IATI OrganisationRole codelist.
        FUNDING = "1", _("Funding")
        ACCOUNTABLE = "2", _("Accountable")
        EXTENDING = "3", _("Extending")
        IMPLEMENTING = "4", _("Implementing")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="project_roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    iati_role = models.CharField(_("IATI role"), max_length=1, choices=IatiRole.choices, blank=True)
    contribution = models.CharField(_("contribution"), max_length=300, blank=True)
    contacts = models.ManyToManyField(
        Person, blank=True, related_name="project_roles", verbose_name=_("contacts")
    )

    class Meta:
        ordering = ["role", "organization__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization", "role"], name="project_partner_unique_role"
            ),
            models.UniqueConstraint(
                fields=["project"], condition=models.Q(role="lead"), name="project_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"

    def save(self, *args, **kwargs):
        if not self.iati_role:
            self.iati_role = DEFAULT_IATI_ROLE[self.role]
        super().save(*args, **kwargs)


DEFAULT_IATI_ROLE = {
    ProjectPartner.Role.LEAD: ProjectPartner.IatiRole.ACCOUNTABLE,
    ProjectPartner.Role.PARTNER: ProjectPartner.IatiRole.IMPLEMENTING,
    ProjectPartner.Role.FUNDER: ProjectPartner.IatiRole.FUNDING,
    ProjectPartner.Role.IMPLEMENTING: ProjectPartner.IatiRole.IMPLEMENTING,
    ProjectPartner.Role.BENEFICIARY: ProjectPartner.IatiRole.IMPLEMENTING,
}


class ProjectDocument(TimeStampedModel):
    class Category(models.TextChoices):
        # With their IATI DocumentCategory code in IATI_DOCUMENT_CATEGORY.
        AGREEMENT = "agreement", _("Agreement or contract")
        ACTION_PLAN = "action_plan", _("Action plan")
        BUDGET = "budget", _("Budget")
        STUDY = "study", _("Study or diagnosis")
        REPORT = "report", _("Report")
        EVALUATION = "evaluation", _("Evaluation")
        MINUTES = "minutes", _("Minutes")
        COMMUNICATION = "communication", _("Communication")
        OTHER = "other", _("Other")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    file = models.FileField(_("file"), upload_to="projects/documents/%Y/")
    is_public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


IATI_DOCUMENT_CATEGORY = {
    ProjectDocument.Category.AGREEMENT: "A09",
    ProjectDocument.Category.ACTION_PLAN: "A02",
    ProjectDocument.Category.BUDGET: "A05",
    ProjectDocument.Category.STUDY: "A06",
    ProjectDocument.Category.REPORT: "A07",
    ProjectDocument.Category.EVALUATION: "A07",
    ProjectDocument.Category.MINUTES: "A12",
    ProjectDocument.Category.COMMUNICATION: "A12",
    ProjectDocument.Category.OTHER: "A12",
}


class ProjectUpdate(TimeStampedModel):
    """Dated news of the project (« où en est-on »), with photos, for its public page."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=255)
    text = models.TextField(_("text"))
    is_public = models.BooleanField(_("public"), default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")

    def __str__(self) -> str:
        return self.title


class ProjectPhoto(models.Model):
    update = models.ForeignKey(ProjectUpdate, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="projects/photos/%Y/")
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


# Checklists ---------------------------------------------------------------------------------


class ChecklistTemplateItem(models.Model):
    """An entry of the editable checklist template of a phase; projects copy it."""

    phase = models.CharField(
        _("phase"),
        max_length=20,
        choices=[(p.value, p.label) for p in WORKING_PHASES],
        db_index=True,
    )
    title = models.CharField(_("title"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Retired entries stay on existing projects.")
    )

    class Meta:
        ordering = ["phase", "position", "pk"]
        verbose_name = _("checklist template entry")
        verbose_name_plural = _("checklist template")

    def __str__(self) -> str:
        return f"{self.get_phase_display()} – {self.title}"


class ChecklistItem(TimeStampedModel):
    """What a project must have done in a phase, and who is to do it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checklist")
    template_item = models.ForeignKey(
        ChecklistTemplateItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_items",
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=[(p.value, p.label) for p in WORKING_PHASES]
    )
    title = models.CharField(_("title"), max_length=200)
    guidance = models.TextField(_("guidance"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who does it"),
    )
    responsible_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation in charge"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticked by"),
    )

    class Meta:
        ordering = ["project", "phase", "position", "pk"]
        verbose_name = _("checklist entry")
        verbose_name_plural = _("checklist")

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


# Stakeholders and governance ----------------------------------------------------------------


class Stakeholder(models.Model):
    class Stance(models.TextChoices):
        DRIVING = "driving", _("Driving")
        FOLLOWING = "following", _("Following")
        NEUTRAL = "neutral", _("Neutral")
        HOSTILE = "hostile", _("Hostile")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stakeholders")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    influence = models.PositiveSmallIntegerField(
        _("influence (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    interest = models.PositiveSmallIntegerField(
        _("interest (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-influence", "-interest"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False) | models.Q(person__isnull=False),
                name="stakeholder_is_someone",
            )
        ]

    def __str__(self) -> str:
        return str(self.organization or self.person)

    def clean(self):
        super().clean()
        if not self.organization_id and not self.person_id:
            raise ValidationError(_("Choose an organisation or a person."))


class GovernanceBody(models.Model):
    class Kind(models.TextChoices):
        STEERING = "steering", _("Steering committee")
        TECHNICAL = "technical", _("Technical committee")
        OTHER = "other", _("Other body")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="bodies")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    remit = models.TextField(_("remit"), blank=True)
    # Its meetings are events of the events app (kind "meeting"), with sittings and attendance.
    meetings = models.ManyToManyField(
        Event, blank=True, related_name="governance_bodies", verbose_name=_("meetings")
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("representing"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["body", "person"], name="body_member_unique")
        ]

    def __str__(self) -> str:
        return str(self.person)


class Decision(models.Model):
    """An entry of the decisions log."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    body = models.ForeignKey(
        GovernanceBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("body"),
    )
    meeting = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting"),
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("decision"))
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


# Results framework ---------------------------------------------------------------------------


class Objective(models.Model):
    class Level(models.TextChoices):
        OVERALL = "overall", _("Overall objective")
        SPECIFIC = "specific", _("Specific objective")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="objectives")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    title = models.CharField(_("objective"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["level", "position", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.title


class ExpectedResult(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="results")
    title = models.CharField(_("expected result"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    result = models.ForeignKey(ExpectedResult, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    source = models.CharField(_("source of verification"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["period_start"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"],
                name="indicator_value_one_per_period",
                violation_error_message=_(
                    "This indicator already has a value for the period starting then."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="indicator_value_period_order",
                violation_error_message=_("The period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})
