"""Writes of the matching: digest subscriptions and the weekly sending."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from observatoire.organizations.models import Organization, PersonEmail
from observatoire.watch.models import WatchItem

from . import selectors
from .models import DigestSending, DigestSubscription

logger = logging.getLogger(__name__)

# A digest lists at most this many opportunities; the rest wait on the organisation's page.
DIGEST_SIZE = 15


def digest_wording(*, organization: Organization) -> str:
    """The sentence an editor agrees to when subscribing, stored with the subscription."""
    return _(
        "I agree to receive at this address, once a week, an e-mail from %(network)s listing the "
        "new open funding calls and offers that fit %(organization)s. I can unsubscribe at any "
        "time with the link in each e-mail."
    ) % {"network": settings.NETWORK_NAME, "organization": organization.name}


def digest_subscribe(
    *,
    organization: Organization,
    address: str,
    wording: str,
    source: str = DigestSubscription.Source.SPACE,
) -> DigestSubscription:
    """Subscribe `address` to the organisation's weekly digest, recording the consent given."""
    address = address.strip().lower()
    if (
        DigestSubscription.objects.active()
        .filter(organization=organization, address=address)
        .exists()
    ):
        raise ValidationError(
            {"address": _("This address already receives the digest of this organisation.")}
        )
    # The contact of the register behind the address, so that its erasure ends the subscription.
    emails = PersonEmail.objects.filter(
        address__iexact=address, person__erased_at__isnull=True
    ).order_by("pk")
    email = emails.filter(person__affiliations__organization=organization).first() or emails.first()
    subscription = DigestSubscription(
        organization=organization,
        address=address,
        person=email.person if email else None,
        opted_in_at=timezone.now(),
        source=source,
        wording=wording,
    )
    subscription.full_clean()
    try:
        with transaction.atomic():
            subscription.save()
    except IntegrityError:  # the same form sent twice at once
        raise ValidationError(
            {"address": _("This address already receives the digest of this organisation.")}
        ) from None
    return subscription


def digest_unsubscribe(*, subscription: DigestSubscription) -> DigestSubscription:
    """End the subscription (idempotent: unsubscribing twice keeps the first date)."""
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at", "updated_at"])
    return subscription


def unsubscribe_url(subscription: DigestSubscription) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "matching:unsubscribe", kwargs={"token": subscription.token}
    )


@dataclass
class DigestRun:
    sent: int = 0
    nothing_new: int = 0
    failed: int = 0
    skipped: int = 0


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _claim(subscription: DigestSubscription, week: datetime.date) -> DigestSending | None:
    """The week's sending row if this run may send it: new, or failed before; None otherwise.

    The row is written before the mail leaves, so a second run or a second clock finds it and
    sends nothing. A row left "sending" by a worker killed mid-way is not retried: the mail may
    have gone, and a digest missed is better than one received twice.
    """
    try:
        with transaction.atomic():
            return DigestSending.objects.create(
                subscription=subscription,
                week=week,
                status=DigestSending.Status.SENDING,
                attempts=1,
            )
    except IntegrityError:
        pass
    sending = DigestSending.objects.get(subscription=subscription, week=week)
    claimed = DigestSending.objects.filter(
        pk=sending.pk, status=DigestSending.Status.FAILED
    ).update(status=DigestSending.Status.SENDING, attempts=sending.attempts + 1)
    if not claimed:
        return None
    sending.refresh_from_db()
    return sending


def _last_sent_at(subscription: DigestSubscription) -> datetime.datetime | None:
    return (
        subscription.sendings.filter(status=DigestSending.Status.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def _published_at(item: WatchItem) -> datetime.datetime:
    return item.published_at or item.created_at


def digest_message(
    *, subscription: DigestSubscription, matches: list, connection=None
) -> EmailMultiAlternatives:
    """The digest mail: plain text and HTML, with the one-click unsubscribe headers."""
    site = settings.SITE_URL.rstrip("/")
    context = {
        "organization": subscription.organization,
        "matches": [(match, site + selectors.item_link(match.item)) for match in matches],
        "network_name": settings.NETWORK_NAME,
        "unsubscribe_url": unsubscribe_url(subscription),
        "page_url": site + reverse("matching:mine"),
    }
    subject = ngettext(
        "%(count)s new opportunity for %(organization)s",
        "%(count)s new opportunities for %(organization)s",
        len(matches),
    ) % {
        "count": len(matches),
        "organization": subscription.organization.name,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("matching/digest_email.txt", context),
        to=[subscription.address],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    message.attach_alternative(render_to_string("matching/digest_email.html", context), "text/html")
    return message


def digest_send_weekly(*, today: datetime.date | None = None) -> DigestRun:
    """Send this week's digest to every subscribed address that has something new to read."""
    today = today or timezone.localdate()
    week = week_of(today)
    run = DigestRun()
    subscriptions = list(
        DigestSubscription.objects.active()
        .filter(organization__merged_into__isnull=True)
        .exclude(organization__status=Organization.Status.ARCHIVED)
        .select_related("organization")
        .exclude(
            Exists(
                DigestSending.objects.filter(subscription=OuterRef("pk"), week=week).exclude(
                    status=DigestSending.Status.FAILED
                )
            )
        )
    )
    if not subscriptions:
        return run
    matches = selectors.matches_for_organizations(
        organization_ids={s.organization_id for s in subscriptions},
        today=today,
        per_organization=None,
    )
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        for subscription in subscriptions:
            sending = _claim(subscription, week)
            if sending is None:
                run.skipped += 1
                continue
            since = _last_sent_at(subscription)
            new = [
                match
                for match in matches[subscription.organization_id]
                if since is None or _published_at(match.item) > since
            ][:DIGEST_SIZE]
            if not new:
                sending.status = DigestSending.Status.NOTHING_NEW
                sending.save(update_fields=["status"])
                run.nothing_new += 1
                continue
            try:
                digest_message(subscription=subscription, matches=new, connection=connection).send()
            except Exception as error:  # noqa: BLE001  (any SMTP or network failure)
                logger.warning(
                    "Digest to %s failed (attempt %s), retried at the next run: %s",
                    subscription.address,
                    sending.attempts,
                    error,
                )
                sending.status = DigestSending.Status.FAILED
                sending.error = str(error)[:500]
                sending.save(update_fields=["status", "error"])
                run.failed += 1
                continue
            sending.status = DigestSending.Status.SENT
            sending.sent_at = timezone.now()
            sending.item_count = len(new)
            sending.error = ""
            sending.save(update_fields=["status", "sent_at", "item_count", "error"])
            run.sent += 1
    return run
