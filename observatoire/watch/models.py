"""The network's watch: funding calls, offers, events elsewhere and news found by staff or feeds.

An item is entered by staff or collected from a feed (`WatchFeed`); collected items land in the
"to qualify" queue and are published by staff. The same item seen in several feeds is one item
with several `WatchItemSource` rows. Eligibility uses the register's vocabulary, so matching an
item against an organisation compares like with like.
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire.core.models import TimeStampedModel
from observatoire.organizations.models import Organization
from observatoire.referentials.models import (
    SDG,
    Country,
    Departement,
    Need,
    OrganizationKind,
    Theme,
)


class WatchKind(models.TextChoices):
    FUNDING_CALL = "funding_call", _("Funding call")
    EVENT = "event", _("Event elsewhere")
    TRAINING = "training", _("Training offer")
    JOB = "job", _("Job offer")
    VOLUNTEERING = "volunteering", _("Volunteering offer")
    NEWS = "news", _("News")
    PUBLICATION = "publication", _("Publication")


class WatchTag(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("address in the site"), max_length=90, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("watch tag")
        verbose_name_plural = _("watch tags")

    def __str__(self) -> str:
        return self.name


class WatchFeed(TimeStampedModel):
    """An RSS or Atom feed that the worker reads on a schedule."""

    class Status(models.TextChoices):
        NEVER = "never", _("Never fetched")
        OK = "ok", _("Fetched")
        ERROR = "error", _("Failed")

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed address"), max_length=500, unique=True)
    default_kind = models.CharField(
        _("kind of the items it brings"),
        max_length=20,
        choices=WatchKind.choices,
        default=WatchKind.NEWS,
    )
    funder = models.CharField(_("funder or source"), max_length=200, blank=True)
    default_themes = models.ManyToManyField(
        Theme, blank=True, related_name="+", verbose_name=_("themes given to its items")
    )
    is_active = models.BooleanField(_("active"), default=True)
    interval = models.DurationField(_("read every"), default=datetime.timedelta(hours=6))
    last_fetched_at = models.DateTimeField(_("last read"), null=True, blank=True)
    last_status = models.CharField(
        _("last result"), max_length=10, choices=Status.choices, default=Status.NEVER
    )
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    # Conditional GET: the server answers 304 when nothing changed.
    etag = models.CharField(max_length=255, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("watch feed")
        verbose_name_plural = _("watch feeds")

    def __str__(self) -> str:
        return self.name

    def is_due(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_active and (
            self.last_fetched_at is None or now - self.last_fetched_at >= self.interval
        )


class WatchItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=WatchItem.Status.PUBLISHED)

    def open(self, today: datetime.date | None = None):
        """Published and not past its deadline (an item without a deadline stays open)."""
        today = today or timezone.localdate()
        return self.published().filter(
            models.Q(deadline__isnull=True) | models.Q(deadline__gte=today)
        )

    def to_qualify(self):
        return self.filter(status=WatchItem.Status.TO_QUALIFY)


class WatchItem(TimeStampedModel):
    Kind = WatchKind

    class Status(models.TextChoices):
        TO_QUALIFY = "to_qualify", _("To qualify")
        PUBLISHED = "published", _("Published")
        EXPIRED = "expired", _("Expired")
        DISCARDED = "discarded", _("Discarded")

    kind = models.CharField(_("kind"), max_length=20, choices=WatchKind.choices)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("address in the site"), max_length=320, unique=True)
    # Plain text: feed HTML is reduced to text on collection, never rendered as HTML.
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    funder = models.CharField(_("funder or source"), max_length=200, blank=True)
    funder_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funder in the register"),
    )
    language = models.CharField(
        _("language of the text"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    # The last day applications are accepted, in the site's time zone; the day after, the
    # worker marks the item expired.
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)

    # Eligibility; empty means "any".
    organization_kinds = models.ManyToManyField(
        OrganizationKind, blank=True, related_name="+", verbose_name=_("kinds of organisation")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries")
    )
    # Continent codes of Country.Continent, for calls open to a whole zone.
    zones = models.JSONField(_("zones"), default=list, blank=True)
    departements = models.ManyToManyField(
        Departement, blank=True, related_name="+", verbose_name=_("départements")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    sdgs = models.ManyToManyField(SDG, blank=True, related_name="+", verbose_name=_("SDGs"))
    needs = models.ManyToManyField(
        Need, blank=True, related_name="+", verbose_name=_("needs it answers")
    )
    amount_min = models.DecimalField(
        _("minimum amount (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("maximum amount (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    tags = models.ManyToManyField(
        WatchTag, blank=True, related_name="items", verbose_name=_("tags")
    )

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TO_QUALIFY
    )
    # Normalised source link and title, so the same item from two feeds is recognised.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Title, funder and summary folded (lower case, no accents) for the public free-text filter.
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    qualified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("qualified by"),
    )
    qualified_at = models.DateTimeField(_("qualified on"), null=True, blank=True)
    published_at = models.DateTimeField(_("put online on"), null=True, blank=True)
    # A duplicate merged into another item is discarded and points to the item kept.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        editable=False,
        verbose_name=_("merged into"),
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = WatchItemQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "-published_at", "title"]
        verbose_name = _("watch item")
        verbose_name_plural = _("watch items")
        indexes = [models.Index(fields=["status", "kind", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_min__isnull=True)
                | models.Q(amount_max__isnull=True)
                | models.Q(amount_min__lte=models.F("amount_max")),
                name="watch_item_amount_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("watch:detail", kwargs={"slug": self.slug})


class WatchItemSource(models.Model):
    """One sighting of an item in a feed: the same call announced by two feeds is one item."""

    item = models.ForeignKey(WatchItem, on_delete=models.CASCADE, related_name="sources")
    feed = models.ForeignKey(WatchFeed, on_delete=models.CASCADE, related_name="sightings")
    guid = models.CharField(_("identifier in the feed"), max_length=500)
    url = models.URLField(_("link in the feed"), max_length=500, blank=True)
    seen_at = models.DateTimeField(_("seen on"), default=timezone.now)

    class Meta:
        verbose_name = _("sighting in a feed")
        verbose_name_plural = _("sightings in feeds")
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="watch_source_unique_guid")
        ]

    def __str__(self) -> str:
        return f"{self.feed}: {self.guid}"
