"""Weekly digests of the opportunities that fit an organisation, and what was sent.

The matches themselves are computed (see rules.py and selectors.py), never stored.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from observatoire.core.models import TimeStampedModel
from observatoire.organizations.models import Organization, Person


def new_token() -> str:
    return secrets.token_urlsafe(32)


class DigestSubscriptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(unsubscribed_at__isnull=True)


class DigestSubscription(TimeStampedModel):
    """An address that asked for the weekly digest of an organisation's opportunities."""

    class Source(models.TextChoices):
        SPACE = "space", _("Organisation space")
        STAFF = "staff", _("Entered by the team")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="digest_subscriptions",
        verbose_name=_("organisation"),
    )
    address = models.EmailField(_("e-mail address"))
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="digest_subscriptions",
        verbose_name=_("person"),
    )
    opted_in_at = models.DateTimeField(_("subscribed on"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    wording = models.TextField(_("wording consented to"), max_length=2000)
    unsubscribed_at = models.DateTimeField(_("unsubscribed on"), null=True, blank=True)
    # The secret of the unsubscribe link: whoever holds the e-mail may unsubscribe, nobody else.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    objects = DigestSubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-opted_in_at"]
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "address"],
                condition=models.Q(unsubscribed_at__isnull=True),
                name="matching_one_active_subscription_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"{self.address} ({self.organization})"


class DigestSending(models.Model):
    """One subscription's digest of one week: recorded before sending, so it goes out once."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        NOTHING_NEW = "empty", _("Nothing new")
        FAILED = "failed", _("Failed, retried at the next run")

    subscription = models.ForeignKey(
        DigestSubscription, on_delete=models.CASCADE, related_name="sendings"
    )
    # The Monday of the ISO week.
    week = models.DateField(_("week of"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    item_count = models.PositiveIntegerField(_("opportunities"), default=0)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)

    class Meta:
        ordering = ["-week"]
        verbose_name = _("digest sending")
        verbose_name_plural = _("digest sendings")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "week"], name="matching_one_digest_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription} — {self.week}"
