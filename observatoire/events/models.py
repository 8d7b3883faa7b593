"""Events (trainings, meetings, webinars...), their sittings, registrations and attendance."""

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire.core.models import TimeStampedModel
from observatoire.groups.models import Group
from observatoire.organizations.models import Organization, Person
from observatoire.referentials.models import SDG, Commune, Country, Theme

PARIS = "Europe/Paris"


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("“%(value)s” is not a known time zone (for example Europe/Paris, Africa/Dakar)."),
            params={"value": value},
            code="invalid_time_zone",
        ) from error


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Event.Status.PUBLISHED)

    def trainings(self):
        return self.filter(kind=Event.Kind.TRAINING)


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        MEETING = "meeting", _("Meeting")
        WEBINAR = "webinar", _("Webinar")
        WORKING_GROUP = "working_group", _("Working-group session")
        GENERAL_ASSEMBLY = "general_assembly", _("General assembly")
        PUBLIC_EVENT = "public_event", _("Public event")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class RegistrationRule(models.TextChoices):
        OPEN = "open", _("Open to all")
        MEMBERS = "members", _("Members of the network only")
        INVITATION = "invitation", _("On invitation")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("address in the site"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    sdgs = models.ManyToManyField(SDG, blank=True, related_name="+", verbose_name=_("SDGs"))
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries")
    )
    organized_by_network = models.BooleanField(_("organised by the network"), default=True)
    partner_organizers = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="organized_events",
        verbose_name=_("partner organisers"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("group"),
    )
    # Where: a place, an online link, or both (hybrid).
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        help_text=_("Sent to registered participants only."),
    )
    # Registration.
    registration_rule = models.CharField(
        _("registration"),
        max_length=20,
        choices=RegistrationRule.choices,
        default=RegistrationRule.OPEN,
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the event is full, further registrations wait for a place."),
    )
    staff_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff contact"),
    )

    # The span of its sittings, kept by `spans.refresh_event_spans` whenever a sitting changes,
    # so that calendars and lists sort and filter on an index instead of grouping every sitting.
    first_starts_at = models.DateTimeField(_("first start"), null=True, editable=False)
    last_ends_at = models.DateTimeField(_("last end"), null=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at", "first_starts_at", "last_ends_at"])
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(
                fields=["status", "first_starts_at", "last_ends_at"], name="event_status_span_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The span belongs to the sittings (events.spans): an instance read before they changed
        # must not write its stale copy back over it.
        if not self._state.adding and not kwargs.get("force_insert"):
            if kwargs.get("update_fields") is None:
                skipped = {*SPAN_FIELDS, *self.get_deferred_fields()}
                kwargs["update_fields"] = [
                    field.attname
                    for field in self._meta.concrete_fields
                    if not field.primary_key and field.attname not in skipped
                ]
        super().save(*args, **kwargs)


SPAN_FIELDS = ("first_starts_at", "last_ends_at")


class Sitting(models.Model):
    """One session of an event; a training may run over several online sittings."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sittings", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("start"), db_index=True)
    ends_at = models.DateTimeField(_("end"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=PARIS,
        validators=[validate_time_zone],
        help_text=_("The zone the times were given in, for a sitting held abroad."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="sitting_ends_after_start",
                violation_error_message=_("The sitting must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.event} — {self.starts_at:%d/%m/%Y}"


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING).order_by("registered_at", "pk")

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        FORM = "form", _("Online form")
        STAFF = "staff", _("Entered by staff")
        IMPORT = "import", _("Import")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    # An organisation unknown to the register arrives as a referencing request.
    referencing_request = models.ForeignKey(
        "referencing.ReferencingRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("referencing request"),
    )
    organization_name = models.CharField(_("organisation as given"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail address"))
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country of residence"),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.FORM
    )
    registered_at = models.DateTimeField(_("registered on"), db_index=True)
    confirmed_at = models.DateTimeField(_("place given on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent on"), null=True, blank=True)
    # The secret of the personal links (cancel, survey) sent by e-mail.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)

    history = HistoricalRecords(excluded_fields=["token"])
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=~Q(status="cancelled"),
                name="one_active_registration_per_person",
                violation_error_message=_("This person is already registered for this event."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"


class Attendance(models.Model):
    """Whether a registered person came to one sitting."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("registration"),
    )
    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("sitting")
    )
    present = models.BooleanField(_("present"))
    recorded_at = models.DateTimeField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["sitting", "registration"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "sitting"], name="one_attendance_per_sitting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.person} — {self.sitting}"
