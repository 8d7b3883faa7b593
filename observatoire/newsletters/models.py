"""Mailing lists, their subscribers, and the addresses nothing may be sent to any more."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from observatoire.organizations.models import Consent, Person

HASH_PREFIX = "sha256:"


def normalize_address(address: str) -> str:
    return (address or "").strip().lower()


def address_hash(address: str) -> str:
    """How an erased person's address is kept on the suppression list: never in clear."""
    digest = hashlib.sha256(normalize_address(address).encode("utf-8")).hexdigest()
    return f"{HASH_PREFIX}{digest}"


class MailingListQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def public(self):
        return self.active().filter(is_public=True, kind=MailingList.Kind.STATIC)


class MailingList(models.Model):
    class Purpose(models.TextChoices):
        # The same values as the register's consent purposes: one consent covers both.
        NEWSLETTER = Consent.Purpose.NEWSLETTER.value, _("Newsletter")
        MAILINGS = Consent.Purpose.MAILINGS.value, _("Targeted mailings")

    class Kind(models.TextChoices):
        STATIC = "static", _("Subscribers (static list)")
        DYNAMIC = "dynamic", _("Saved search on the register (dynamic list)")

    class Reach(models.TextChoices):
        MAIN_CONTACTS = "main", _("Main contacts of the organisations")
        ALL_CONTACTS = "all", _("Every person affiliated to the organisations")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=200, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.NEWSLETTER
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STATIC)
    is_public = models.BooleanField(
        _("offered on the public subscription form"),
        default=False,
        help_text=_("Only static lists can be offered to the public."),
    )
    # A dynamic list is a saved search: the register's filter parameters as a query string.
    filter_query = models.TextField(_("register filters"), max_length=4000, blank=True)
    reach = models.CharField(
        _("contacts reached"), max_length=10, choices=Reach.choices, default=Reach.MAIN_CONTACTS
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archived on"), null=True, blank=True)

    objects = MailingListQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsletters_staff:detail", args=[self.pk])

    @property
    def is_dynamic(self) -> bool:
        return self.kind == self.Kind.DYNAMIC


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class Source(models.TextChoices):
        FORM = "form", _("Public form")
        STAFF = "staff", _("Entered by staff")
        IMPORT = "import", _("Imported list")

    mailing_list = models.ForeignKey(
        MailingList,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("mailing list"),
    )
    address = models.EmailField(_("e-mail address"), max_length=254)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subscriptions",
        verbose_name=_("person"),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    organization_name = models.CharField(_("organisation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    consent_wording = models.TextField(_("wording consented to"), max_length=2000)
    consented_at = models.DateTimeField(_("consent given on"))
    tracking_allowed = models.BooleanField(
        _("accepts that openings and clicks are measured"), default=False
    )
    # One token per submission of the public form: one link confirms every list chosen.
    token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed on"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed on"), null=True, blank=True)

    class Meta:
        ordering = ["address"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing_list", "address"],
                name="newsletters_one_subscription_per_address",
                violation_error_message=_("This address is already on this list."),
            )
        ]
        indexes = [models.Index(fields=["address"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.address} — {self.mailing_list}"

    def save(self, *args, **kwargs):
        self.address = normalize_address(self.address)
        super().save(*args, **kwargs)


class SuppressionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(lifted_at__isnull=True)


class Suppression(models.Model):
    """An address nothing is sent to, from any list (or its hash, for an erased person)."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed from all lists")
        HARD_BOUNCE = "hard_bounce", _("Address does not exist (hard bounce)")
        COMPLAINT = "complaint", _("Reported as spam")
        ERASED = "erased", _("Person erased (GDPR)")
        INVALID = "invalid", _("Invalid address")

    address = models.CharField(_("address"), max_length=254, db_index=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("suppressed on"), auto_now_add=True)
    # The address subscribed again with double opt-in: the row stays as the record.
    lifted_at = models.DateTimeField(_("lifted on"), null=True, blank=True)
    lifted_by = models.CharField(_("lifted by"), max_length=200, blank=True)

    objects = SuppressionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["address"],
                condition=Q(lifted_at__isnull=True),
                name="newsletters_one_active_suppression_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.get_reason_display()})"

    @property
    def is_hashed(self) -> bool:
        return self.address.startswith(HASH_PREFIX)


class Bounce(models.Model):
    class Kind(models.TextChoices):
        HARD = "hard", _("Hard (permanent)")
        SOFT = "soft", _("Soft (temporary)")

    address = models.EmailField(_("address"), max_length=254, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    diagnostic = models.TextField(_("diagnostic"), max_length=2000, blank=True)
    message_id = models.CharField(_("message sent"), max_length=300, blank=True)
    # Where the report came from (webhook, the Message-ID of a notification read in the mailbox),
    # so that a notification read twice is counted once.
    report_id = models.CharField(max_length=300, blank=True, editable=False)
    received_at = models.DateTimeField(_("received on"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")
        constraints = [
            models.UniqueConstraint(
                fields=["report_id", "address"],
                condition=~Q(report_id=""),
                name="newsletters_bounce_counted_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.get_kind_display()})"
