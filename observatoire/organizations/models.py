"""The register: organisations (acteurs), people, memberships, interactions and saved searches."""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire.core.models import TimeStampedModel
from observatoire.core.validators import (
    validate_iati_organisation_id,
    validate_phone,
    validate_rna,
    validate_siren,
    validate_siret,
)
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    College,
    Commune,
    Country,
    Departement,
    Need,
    OrganizationKind,
    Region,
    Theme,
    latitude_field,
    longitude_field,
)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members")
    STAFF = "staff", _("Staff only")


class Source(models.TextChoices):
    FORM = "form", _("Referencing form")
    IMPORT = "import", _("Import")
    STAFF = "staff", _("Staff")


class OrganizationQuerySet(models.QuerySet):
    def not_archived(self):
        return self.exclude(status=Organization.Status.ARCHIVED)

    def qualified(self):
        return self.filter(status=Organization.Status.QUALIFIED)

    def members_up_to_date(self, year: int):
        """Organisations whose fee for `year` was paid by 31 December of that year."""
        return self.filter(
            Exists(Membership.objects.filter(organization=OuterRef("pk")).up_to_date(year))
        )

    def members(self, year: int):
        return self.filter(
            Exists(Membership.objects.filter(organization=OuterRef("pk"), year=year))
        )


class Organization(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending qualification")
        QUALIFIED = "qualified", _("Qualified")
        ARCHIVED = "archived", _("Archived")

    class LegalForm(models.TextChoices):
        ASSOCIATION = "association", _("Association (1901 law)")
        RECOGNISED_ASSOCIATION = "association_rup", _("Association recognised of public utility")
        FOUNDATION = "foundation", _("Foundation or endowment fund")
        LOCAL_AUTHORITY = "local_authority", _("Local authority")
        PUBLIC_BODY = "public_body", _("Public body")
        COMPANY = "company", _("Company (SA, SAS, SARL…)")
        COOPERATIVE = "cooperative", _("Cooperative (SCOP, SCIC)")
        MUTUAL = "mutual", _("Mutual")
        FOREIGN = "foreign", _("Organisation under foreign law")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    # Given when the organisation is first listed in the public directory, then kept, so that
    # its public address never changes; blank for records never published.
    slug = models.SlugField(_("address in the site"), max_length=255, blank=True, default="")
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    kind = models.ForeignKey(
        OrganizationKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    legal_form = models.CharField(
        _("legal form"), max_length=30, choices=LegalForm.choices, blank=True
    )
    siren = models.CharField(
        _("SIREN"), max_length=9, blank=True, db_index=True, validators=[validate_siren]
    )
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, db_index=True, validators=[validate_siret]
    )
    rna = models.CharField(
        _("RNA number"), max_length=10, blank=True, db_index=True, validators=[validate_rna]
    )
    iati_id = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[validate_iati_organisation_id],
    )
    description = models.TextField(_("description"), max_length=10000, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    public_email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])

    address_line1 = models.CharField(_("address"), max_length=255, blank=True)
    address_line2 = models.CharField(_("address (continued)"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    # Derived from the commune by the services, stored so lists filter without joins.
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    # Partners abroad are organisations too, lightly described: a country and a town, no commune.
    seat_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country of the seat"),
        help_text=_("Only for an organisation based outside France."),
    )
    seat_locality = models.CharField(_("town abroad"), max_length=200, blank=True)
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)
    coordinates_overridden = models.BooleanField(
        _("coordinates set by hand"),
        default=False,
        help_text=_("Keep these coordinates instead of those of the commune."),
    )

    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    sdgs = models.ManyToManyField(SDG, blank=True, related_name="+", verbose_name=_("SDGs"))
    action_kinds = models.ManyToManyField(
        ActionKind, blank=True, related_name="+", verbose_name=_("kinds of action")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries of intervention")
    )
    needs = models.ManyToManyField(Need, blank=True, related_name="+", verbose_name=_("needs"))

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_before_archive = models.CharField(
        max_length=20, choices=Status.choices, blank=True, editable=False
    )
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True, editable=False)
    # {field name: Visibility}; fields not listed take VISIBILITY_DEFAULTS.
    field_visibility = models.JSONField(_("visibility of fields"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.STAFF
    )
    publishes_directly = models.BooleanField(
        _("publishes without moderation"),
        default=False,
        help_text=_("What this organisation's editors publish goes online without staff review."),
    )
    # Set when this record was merged into another: it stays, archived, so that its old
    # identifiers and URLs still lead to the survivor and the merge can be undone.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    # Lower-case, accent-free text of names, identifiers, town and contacts, for fast search.
    search_text = models.TextField(editable=False, blank=True, default="")

    history = HistoricalRecords(
        m2m_fields=[themes, sdgs, action_kinds, countries, needs],
        excluded_fields=["search_text", "updated_at"],
    )
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [("export_organization", _("Can export organisations"))]
        indexes = [models.Index(fields=["status", "name"]), models.Index(fields=["updated_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=~Q(slug=""), name="organization_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def save(self, *args, **kwargs):
        # A qualified organisation is listed in the public directory: it needs its address there.
        if not self.slug and self.status == self.Status.QUALIFIED:
            from observatoire.core.text import unique_slug

            self.slug = unique_slug(
                Organization.objects.exclude(pk=self.pk), self.name, fallback="organisation"
            )
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        super().save(*args, **kwargs)

    @property
    def survivor(self) -> "Organization":
        """The record that lives on after merges: itself unless it was merged into another."""
        organization, seen = self, {self.pk}
        while organization.merged_into_id and organization.merged_into_id not in seen:
            seen.add(organization.merged_into_id)
            organization = organization.merged_into
        return organization


# Fields whose visibility staff choose, with the default for each.
VISIBILITY_DEFAULTS: dict[str, str] = {
    "acronym": Visibility.PUBLIC,
    "legal_form": Visibility.PUBLIC,
    "siren": Visibility.PUBLIC,
    "siret": Visibility.PUBLIC,
    "rna": Visibility.PUBLIC,
    "iati_id": Visibility.PUBLIC,
    "description": Visibility.PUBLIC,
    "website": Visibility.PUBLIC,
    "public_email": Visibility.PUBLIC,
    "phone": Visibility.MEMBERS,
    "address_line1": Visibility.PUBLIC,
    "address_line2": Visibility.PUBLIC,
    "themes": Visibility.PUBLIC,
    "sdgs": Visibility.PUBLIC,
    "action_kinds": Visibility.PUBLIC,
    "countries": Visibility.PUBLIC,
    "places": Visibility.PUBLIC,
    "needs": Visibility.STAFF,
    "relations": Visibility.MEMBERS,
}


class InterventionPlace(models.Model):
    """A named locality abroad where an organisation acts, e.g. “Oujda, Maroc”."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="places",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("locality"), max_length=200)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    latitude = latitude_field(null=True, blank=True)
    longitude = longitude_field(null=True, blank=True)

    class Meta:
        ordering = ["country__name_fr", "name"]
        verbose_name = _("place of intervention")
        verbose_name_plural = _("places of intervention")

    def __str__(self) -> str:
        return f"{self.name}, {self.country}"


class OrganizationRelation(models.Model):
    class Kind(models.TextChoices):
        MEMBER_OF = "member_of", _("is a member of")
        PARTNER_OF = "partner_of", _("is a partner of")
        FUNDED_BY = "funded_by", _("is funded by")
        TWINNED_WITH = "twinned_with", _("is twinned with")

    source = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="relations_from",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    target = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="relations_to",
        verbose_name=_("related organisation"),
    )
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "target__name"]
        verbose_name = _("relation between organisations")
        verbose_name_plural = _("relations between organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="relation_not_to_itself"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="relation_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class PersonQuerySet(models.QuerySet):
    def not_archived(self):
        return self.filter(archived_at__isnull=True, erased_at__isnull=True)


class Person(TimeStampedModel):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("function"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=10000, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.STAFF
    )
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(_("anonymised on"), null=True, blank=True, editable=False)
    search_text = models.TextField(editable=False, blank=True, default="")

    organizations = models.ManyToManyField(
        Organization, through="Affiliation", related_name="people", verbose_name=_("organisations")
    )

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [
            ("export_person", _("Can export people")),
            ("erase_person", _("Can anonymise a person")),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def primary_email(self) -> str:
        emails = list(self.emails.all())
        for email in emails:
            if email.is_primary:
                return email.address
        return emails[0].address if emails else ""


class PersonEmail(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField(_("e-mail address"), db_index=True)
    label = models.CharField(_("label"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("main address"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_primary", "address"]
        verbose_name = _("e-mail address")
        verbose_name_plural = _("e-mail addresses")
        constraints = [
            models.UniqueConstraint(fields=["person", "address"], name="unique_email_per_person")
        ]

    def __str__(self) -> str:
        return self.address


class PersonPhone(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=30, validators=[validate_phone])
    label = models.CharField(_("label"), max_length=50, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class AffiliationQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Affiliation(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)
    is_main_contact = models.BooleanField(_("main contact"), default=False)

    history = HistoricalRecords()
    objects = AffiliationQuerySet.as_manager()

    class Meta:
        ordering = ["-is_main_contact", "person__last_name"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_main_contact=True),
                name="one_main_contact_per_organization",
                violation_error_message=_("This organisation already has a main contact."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_dates_ordered",
                violation_error_message=_("The end date comes before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"


class Consent(models.Model):
    """One consent given or withdrawn; the latest per purpose is the one in force."""

    class Purpose(models.TextChoices):
        DIRECTORY = "directory", _("Listing in the public directory")
        NEWSLETTER = "newsletter", _("Newsletter")
        MAILINGS = "mailings", _("Targeted mailings")

    class ConsentSource(models.TextChoices):
        FORM = "form", _("Online form")
        EVENT = "event", _("Event registration")
        PAPER = "paper", _("Paper form")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        IMPORT = "import", _("Import")
        STAFF = "staff", _("Entered by staff")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    granted = models.BooleanField(_("granted"), default=True)
    given_at = models.DateTimeField(_("date"))
    source = models.CharField(_("source"), max_length=20, choices=ConsentSource.choices)
    wording = models.TextField(_("wording consented to"), max_length=2000)

    history = HistoricalRecords()

    class Meta:
        ordering = ["purpose", "-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        state = _("granted") if self.granted else _("withdrawn")
        return f"{self.get_purpose_display()}: {state}"


class MembershipQuerySet(models.QuerySet):
    def up_to_date(self, year: int):
        """Memberships of `year` whose fee was paid on or before 31 December of that year."""
        return self.filter(
            year=year, paid_on__isnull=False, paid_on__lte=datetime.date(year, 12, 31)
        )


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1980), MaxValueValidator(2100)]
    )
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="+", verbose_name=_("college")
    )
    fee_amount = models.DecimalField(
        _("fee (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="one_membership_per_year",
                violation_error_message=_("This organisation already has a membership that year."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year}"

    @property
    def is_up_to_date(self) -> bool:
        return self.paid_on is not None and self.paid_on <= datetime.date(self.year, 12, 31)


class BoardSeat(models.Model):
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="+", verbose_name=_("college")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="board_seats",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_seats",
        verbose_name=_("representative"),
    )
    office = models.CharField(
        _("office"), max_length=100, blank=True, help_text=_("e.g. president, treasurer")
    )
    start_date = models.DateField(_("since"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("board seat")
        verbose_name_plural = _("board seats")

    def __str__(self) -> str:
        return f"{self.organization} — {self.college}"


class Interaction(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", _("Phone call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("E-mail")
        VISIT = "visit", _("Visit")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("date"), db_index=True)
    subject = models.CharField(_("subject"), max_length=255)
    notes = models.TextField(_("notes"), max_length=10000, blank=True)
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="interactions", verbose_name=_("organisations")
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="interactions", verbose_name=_("people")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.subject}"


class SavedSearch(TimeStampedModel):
    """A named filter of the register, reused later as a dynamic mailing list."""

    class Target(models.TextChoices):
        ORGANIZATIONS = "organizations", _("Organisations")
        PEOPLE = "people", _("People")

    name = models.CharField(_("name"), max_length=200)
    target = models.CharField(_("list of"), max_length=20, choices=Target.choices)
    query_string = models.CharField(_("filters"), max_length=2000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("owner"),
    )
    is_shared = models.BooleanField(_("shared with the team"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name


class RegisterExport(models.Model):
    """A large export built by the worker; its author downloads it from a link sent by e-mail."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="register_exports",
        verbose_name=_("requested by"),
    )
    target = models.CharField(_("list of"), max_length=20, choices=SavedSearch.Target.choices)
    query_string = models.CharField(_("filters"), max_length=2000, blank=True)
    file_format = models.CharField(_("format"), max_length=4)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    requested_at = models.DateTimeField(_("requested on"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished on"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("large export")
        verbose_name_plural = _("large exports")

    def __str__(self) -> str:
        return f"{self.get_target_display()} — {self.requested_at:%Y-%m-%d %H:%M}"
