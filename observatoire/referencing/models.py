"""Referencing requests: organisations asking to be listed, waiting for staff to qualify them."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.core.validators import (
    validate_phone,
    validate_rna,
    validate_siren,
    validate_siret,
)
from observatoire.organizations.models import Organization
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    Commune,
    Country,
    Need,
    OrganizationKind,
    Theme,
)

# The organisation's fields a request proposes, copied as they are when staff qualify it.
ORGANIZATION_FIELDS = [
    "name",
    "acronym",
    "kind",
    "legal_form",
    "siren",
    "siret",
    "rna",
    "description",
    "website",
    "public_email",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
    "commune",
]
TAG_FIELDS = ["action_kinds", "themes", "sdgs", "countries", "needs"]


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class ReferencingRequestQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(email_confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(email_confirmed_at__isnull=True, state=ReferencingRequest.State.NEW)

    def open(self):
        """Confirmed requests that staff still have to handle."""
        return self.confirmed().filter(
            state__in=[ReferencingRequest.State.NEW, ReferencingRequest.State.WAITING]
        )

    def new(self):
        return self.confirmed().filter(state=ReferencingRequest.State.NEW)

    def waiting(self):
        return self.filter(state=ReferencingRequest.State.WAITING)

    def stale(self, *, now: datetime.datetime | None = None):
        """Open requests received more than REFERENCING_STALE_DAYS days ago."""
        limit = (now or timezone.now()) - datetime.timedelta(days=settings.REFERENCING_STALE_DAYS)
        return self.open().filter(created_at__lt=limit)

    def done(self):
        return self.filter(
            state__in=[ReferencingRequest.State.QUALIFIED, ReferencingRequest.State.REJECTED]
        )


class ReferencingRequest(models.Model):
    """What an organisation declared in the public form, until staff qualify or reject it."""

    class State(models.TextChoices):
        NEW = "new", _("New")
        WAITING = "waiting", _("Waiting for the requester")
        QUALIFIED = "qualified", _("Qualified")
        REJECTED = "rejected", _("Rejected")

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NEW, db_index=True
    )
    # The organisation as declared.
    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    kind = models.ForeignKey(
        OrganizationKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind")
    )
    legal_form = models.CharField(
        _("legal form"), max_length=30, choices=Organization.LegalForm.choices, blank=True
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True, validators=[validate_siren])
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    rna = models.CharField(_("RNA number"), max_length=10, blank=True, validators=[validate_rna])
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
    action_kinds = models.ManyToManyField(
        ActionKind, blank=True, related_name="+", verbose_name=_("kinds of action")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    sdgs = models.ManyToManyField(SDG, blank=True, related_name="+", verbose_name=_("SDGs"))
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries of intervention")
    )
    needs = models.ManyToManyField(Need, blank=True, related_name="+", verbose_name=_("needs"))

    # The requester and the link that lets them come back without an account.
    requester_email = models.EmailField(_("requester's e-mail"))
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed on"), null=True, blank=True)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)

    target_organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="update_requests",
        verbose_name=_("organisation to update"),
        help_text=_("The requester said their organisation is already listed as this one."),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referencing_requests",
        verbose_name=_("resulting organisation"),
    )
    staff_message = models.TextField(_("last message to the requester"), blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(_("received on"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True, db_index=True)

    objects = ReferencingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referencing request")
        verbose_name_plural = _("referencing requests")

    def __str__(self) -> str:
        return f"n° {self.pk} — {self.name}"

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.NEW, self.State.WAITING)

    @property
    def is_stale(self) -> bool:
        limit = timezone.now() - datetime.timedelta(days=settings.REFERENCING_STALE_DAYS)
        return self.is_open and self.email_confirmed_at is not None and self.created_at < limit


class ReferencingContact(models.Model):
    """A contact person declared in a request, with the consents they gave in the form."""

    request = models.ForeignKey(
        ReferencingRequest,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("referencing request"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    # [{"purpose": ..., "granted": bool, "wording": the text shown, "given_at": ISO datetime}]
    consents = models.JSONField(_("consents"), default=list, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(first_name="") & ~Q(last_name=""), name="referencing_contact_named"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def granted_purposes(self) -> list[str]:
        return [c["purpose"] for c in self.consents if c.get("granted")]
