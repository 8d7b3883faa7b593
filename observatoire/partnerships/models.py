"""Decentralised cooperation: partnerships between a French and a foreign local authority.

A partnership lives for decades (« partenaires depuis 2005 »): agreements are signed, renewed and
ended, delegations travel both ways, projects are run within it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire.core.models import TimeStampedModel
from observatoire.organizations.models import Organization, Person
from observatoire.referentials.models import Theme


class PartnershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Partnership.Status.ACTIVE)

    def of_organization(self, organization):
        """Partnerships where `organization` is one of the two authorities."""
        return self.filter(
            models.Q(french_authority=organization) | models.Q(foreign_authority=organization)
        )


class Partnership(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Being built")
        ACTIVE = "active", _("Active")
        DORMANT = "dormant", _("Dormant")
        ENDED = "ended", _("Ended")

    class Kind(models.TextChoices):
        COOPERATION = "cooperation", _("Decentralised cooperation")
        TWINNING = "twinning", _("Twinning")
        FRIENDSHIP = "friendship", _("Friendship pact")

    french_authority = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="partnerships_in_france",
        verbose_name=_("French local authority"),
    )
    foreign_authority = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="partnerships_abroad",
        verbose_name=_("foreign local authority"),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.COOPERATION
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    since_year = models.PositiveSmallIntegerField(_("partners since (year)"), null=True, blank=True)
    ended_year = models.PositiveSmallIntegerField(_("ended in (year)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    is_public = models.BooleanField(
        _("shown to the public"),
        default=True,
        help_text=_("The public sees the two authorities, the dates, the themes and the projects."),
    )
    # The staff member or the authority's international officer who follows it.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed by"),
    )
    source = models.CharField(_("source"), max_length=100, blank=True, editable=False)

    history = HistoricalRecords(m2m_fields=[themes])
    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["french_authority__name", "foreign_authority__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(
                fields=["french_authority", "foreign_authority"], name="partnership_unique_pair"
            ),
            models.CheckConstraint(
                condition=~models.Q(french_authority=models.F("foreign_authority")),
                name="partnership_two_authorities",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.french_authority.name} – {self.foreign_authority.name}"

    def clean(self):
        super().clean()
        if self.since_year and self.ended_year and self.ended_year < self.since_year:
            raise ValidationError({"ended_year": _("The partnership cannot end before it began.")})
        if self.french_authority_id and self.french_authority_id == self.foreign_authority_id:
            raise ValidationError(
                {"foreign_authority": _("A partnership joins two different authorities.")}
            )


class Agreement(TimeStampedModel):
    """A signed cooperation agreement (convention), its renewals and its end."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being negotiated")
        SIGNED = "signed", _("Signed")
        RENEWED = "renewed", _("Renewed")
        ENDED = "ended", _("Ended")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    starts_on = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    renews = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("renews"),
    )
    summary = models.TextField(_("summary"), blank=True)
    document = models.FileField(_("document"), upload_to="partnerships/agreements/", blank=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date comes before the start date.")})


class PartnershipContact(models.Model):
    """A key contact of the partnership, on one side or the other."""

    class Side(models.TextChoices):
        FRENCH = "french", _("French side")
        FOREIGN = "foreign", _("Partner side")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="contacts")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="partnership_roles", verbose_name=_("person")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    role = models.CharField(_("role"), max_length=200, blank=True)

    class Meta:
        ordering = ["side", "person__last_name"]
        verbose_name = _("key contact")
        verbose_name_plural = _("key contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "person"], name="partnership_contact_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_side_display()})"


class Mission(TimeStampedModel):
    """A delegation trip, from France to the partner or from the partner to France."""

    class Direction(models.TextChoices):
        OUTGOING = "outgoing", _("From France to the partner")
        INCOMING = "incoming", _("From the partner to France")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("partnership"),
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("project"),
    )
    title = models.CharField(_("title"), max_length=255)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    starts_on = models.DateField(_("departure"))
    ends_on = models.DateField(_("return"))
    destination = models.CharField(_("destination"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    cost = models.DecimalField(
        _("cost (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    outcomes = models.TextField(_("outcomes"), blank=True)
    report = models.TextField(_("mission report"), blank=True)
    report_document = models.FileField(
        _("report (document)"), upload_to="partnerships/missions/", blank=True
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="mission_dates_order"
            ),
            models.CheckConstraint(
                condition=models.Q(partnership__isnull=False) | models.Q(project__isnull=False),
                name="mission_partnership_or_project",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The return comes before the departure.")})
        if not self.partnership_id and not self.project_id:
            raise ValidationError(_("A mission belongs to a partnership or to a project."))


class MissionParticipant(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("person"),
    )
    # For a participant not in the register (an elected official of the partner, an interpreter).
    name = models.CharField(_("name"), max_length=200, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role in the delegation"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | ~models.Q(name=""),
                name="mission_participant_named",
            )
        ]

    def __str__(self) -> str:
        return str(self.person) if self.person_id else self.name
