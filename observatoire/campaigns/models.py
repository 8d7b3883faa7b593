"""Campaigns: newsletters and targeted mailings sent to mailing lists, and their deliveries.

A campaign is composed by staff (sanitised HTML, blocks that pull watch items, events and news),
then sent by the worker. Sending first materialises one `Delivery` per address (unique per
campaign), then sends each delivery exactly once: a row is claimed (status `sending`, committed)
before its message leaves and marked `sent` as soon as the SMTP server accepted it. A row found
in `sending` by a later run may or may not have been accepted: it becomes `uncertain`, shown to
staff with an explicit « Renvoyer », never resent silently.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from observatoire.core.models import TimeStampedModel


def new_token() -> str:
    return secrets.token_urlsafe(18)


class CampaignQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status=Campaign.Status.SENT)

    def in_archive(self):
        return self.sent().filter(public_in_archive=True)


class Campaign(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(
        _("name"), max_length=200, help_text=_("For the staff only; recipients see the subject.")
    )
    subject = models.CharField(_("subject"), max_length=200)
    preheader = models.CharField(
        _("preheader"),
        max_length=200,
        blank=True,
        help_text=_("The short text mail programs show after the subject."),
    )
    from_name = models.CharField(_("sender name"), max_length=100, blank=True)
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    lists = models.ManyToManyField(
        "newsletters.MailingList",
        blank=True,
        related_name="campaigns",
        verbose_name=_("mailing lists"),
    )
    # Sanitised on save by the services (campaigns.sanitize), never stored raw.
    body_html = models.TextField(_("message"), blank=True)
    body_text = models.TextField(
        _("text version"),
        blank=True,
        help_text=_(
            "Derived from the message when left empty; shown by mail programs without HTML."
        ),
    )
    # [{"type": "watch"|"events"|"news", "title": str, "count": int, "kinds": [...],
    #   "theme": slug, "items": [ids]}], rendered at send time.
    blocks = models.JSONField(_("blocks"), default=list, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, db_index=True)
    public_in_archive = models.BooleanField(
        _("in the public archive"),
        default=False,
        help_text=_("Shown at /lettre/archives/ once sent, without any personal data."),
    )
    slug = models.SlugField(_("address in the site"), max_length=220, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The HTML and text of the blocks as rendered when sending started, so the web version and
    # every recipient see the same content even when the watch items change meanwhile.
    rendered_blocks_html = models.TextField(blank=True, editable=False)
    rendered_blocks_text = models.TextField(blank=True, editable=False)
    # Sending machinery: deliveries materialised, the lease of the run sending it.
    materialized_at = models.DateTimeField(null=True, blank=True, editable=False)
    lease_owner = models.CharField(max_length=40, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns_staff:detail", kwargs={"pk": self.pk})

    def get_archive_url(self) -> str:
        return reverse("campaigns:archive_detail", kwargs={"slug": self.slug})

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.SCHEDULED)


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        UNCERTAIN = "uncertain", _("Uncertain")
        SKIPPED = "skipped", _("Skipped (unsubscribed meanwhile)")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("campaign")
    )
    address = models.EmailField(_("address"), max_length=254)
    person = models.ForeignKey(
        "organizations.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    subscription_id = models.BigIntegerField(null=True, blank=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    organization_name = models.CharField(_("organisation"), max_length=255, blank=True)
    tracking_allowed = models.BooleanField(_("measurement allowed"), default=False)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_by = models.CharField(max_length=40, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True, db_index=True)
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    open_count = models.PositiveIntegerField(_("opens"), default=0)
    clicked_at = models.DateTimeField(_("first click"), null=True, blank=True)
    click_count = models.PositiveIntegerField(_("clicks"), default=0)
    bounced_at = models.DateTimeField(_("bounced"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "address"], name="campaign_delivery_once_per_address"
            )
        ]
        indexes = [models.Index(fields=["campaign", "status"], name="campaign_delivery_status")]

    def __str__(self) -> str:
        return self.address


class Click(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="clicks")
    url = models.URLField(max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("click")
        verbose_name_plural = _("clicks")

    def __str__(self) -> str:
        return self.url
