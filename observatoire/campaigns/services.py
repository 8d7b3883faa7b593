"""Writes of the campaigns: composing, scheduling, the sending engine, tracking and bounces.

The sending engine (`campaign_send`) is what the worker runs. Its guarantees:
- one run at a time per campaign: a run holds a lease on the campaign row and renews it;
- a delivery is claimed (status `sending`, committed) before its message leaves, and marked
  `sent` in its own commit right after the SMTP server's 250; a later run that finds a row still
  in `sending` cannot know whether the server accepted it, so the row becomes `uncertain` and
  waits for staff (« Renvoyer »): nothing is resent silently;
- a temporary failure (4xx, lost connection) puts the delivery back in the queue with an
  exponential back-off; a permanent one (5xx) fails that recipient only.
"""

import datetime
import logging
import re
import smtplib
import time
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.core.text import unique_slug
from observatoire.newsletters import selectors as newsletter_selectors
from observatoire.newsletters import services as newsletter_services
from observatoire.newsletters.models import Subscription, Suppression

from . import blocks as campaign_blocks
from .models import Campaign, Click, Delivery
from .rendering import SAMPLE, Person, absolute, build_email, message_domain, render_message
from .sanitize import sanitize_html

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, 3rd and 4th temporary failure; the 5th fails for good.
BACKOFF_MINUTES = (1, 5, 30, 120)
MATERIALIZE_CHUNK = 2000
# Messages between two looks at the campaign (paused, cancelled?): every one, so that « Pause »
# stops after the message being sent (one indexed read, small beside the SMTP transaction).
STATUS_CHECK_EVERY = 1


# Composition -------------------------------------------------------------------------------


@transaction.atomic
def campaign_save(*, campaign: Campaign, lists: Iterable | None = None, user=None) -> Campaign:
    """Create or update a campaign: HTML sanitised, blocks normalised, a slug given once."""
    if (
        campaign.pk
        and not Campaign.objects.filter(
            pk=campaign.pk, status__in=[Campaign.Status.DRAFT, Campaign.Status.SCHEDULED]
        ).exists()
    ):
        raise ValidationError(_("A campaign that started sending can no longer be changed."))
    campaign.body_html = sanitize_html(campaign.body_html)
    campaign.body_text = (campaign.body_text or "").strip()
    campaign.blocks = [
        block for block in map(campaign_blocks.normalize, campaign.blocks or []) if block
    ]
    if not campaign.slug:
        campaign.slug = unique_slug(
            Campaign.objects.all(), campaign.subject or campaign.name, fallback="lettre"
        )
    if not campaign.pk and user is not None and user.is_authenticated:
        campaign.created_by = user
    campaign.full_clean(exclude=["lists"])
    campaign.save()
    if lists is not None:
        campaign.lists.set(lists)
    return campaign


def recipient_count(*, lists: Iterable) -> int:
    """How many addresses the lists reach today (each once, suppressed ones left out)."""
    lists = list(lists)
    if not lists:
        return 0
    return sum(1 for _recipient in newsletter_selectors.recipients(lists=lists))


def _web_url(campaign: Campaign, token: str) -> str:
    if campaign.public_in_archive:
        return absolute(campaign.get_archive_url())
    return absolute(reverse("campaigns:web", kwargs={"token": token}))


def _list_for_unsubscription(campaign: Campaign):
    lists = list(campaign.lists.all()[:2])
    return lists[0] if len(lists) == 1 else None


def campaign_preview(*, campaign: Campaign, person: Person = SAMPLE):
    """The message as `person` would receive it (no tracking), with today's blocks."""
    blocks = campaign_blocks.render_blocks(campaign.blocks, language=campaign.language)
    unsubscribe = newsletter_services.unsubscribe_url(
        address=person.address,
        mailing_list=_list_for_unsubscription(campaign) if campaign.pk else None,
    )
    web_url = absolute(campaign.get_archive_url()) if campaign.slug else settings.SITE_URL
    return render_message(
        campaign, person, blocks=blocks, unsubscribe_url=unsubscribe, web_url=web_url
    )


def parse_addresses(value: str) -> list[str]:
    """Addresses typed by staff (commas, semicolons, spaces or lines), validated; ValidationError
    naming the invalid ones."""
    found = [part.strip().lower() for part in re.split(r"[\s,;]+", value or "") if part.strip()]
    invalid = []
    for address in found:
        try:
            validate_email(address)
        except ValidationError:
            invalid.append(address)
    if invalid:
        raise ValidationError(
            _("These addresses are not valid: %(addresses)s") % {"addresses": ", ".join(invalid)}
        )
    if not found:
        raise ValidationError(_("Type at least one address."))
    if len(found) > 10:
        raise ValidationError(_("A test goes to ten addresses at most."))
    return list(dict.fromkeys(found))


def campaign_test_send(*, campaign: Campaign, addresses: list[str]) -> int:
    """Send the campaign now to these addresses, subject prefixed « [TEST] », nothing recorded."""
    blocks = campaign_blocks.render_blocks(campaign.blocks, language=campaign.language)
    messages = []
    connection = get_connection()
    for address in addresses:
        person = Person(address, SAMPLE.first_name, SAMPLE.last_name, SAMPLE.organization_name)
        unsubscribe = newsletter_services.unsubscribe_url(
            address=address, mailing_list=_list_for_unsubscription(campaign)
        )
        rendered = render_message(
            campaign,
            person,
            blocks=blocks,
            unsubscribe_url=unsubscribe,
            web_url=absolute(campaign.get_archive_url()),
        )
        messages.append(
            build_email(
                campaign,
                rendered,
                to=address,
                unsubscribe_url=unsubscribe,
                message_id=f"<test.{uuid.uuid4().hex}@{_domain()}>",
                subject_prefix="[TEST] ",
                connection=connection,
            )
        )
    return connection.send_messages(messages) or 0


def _domain() -> str:
    return message_domain()


# Scheduling --------------------------------------------------------------------------------


def _enqueue_send(campaign_id: int) -> None:
    from .tasks import send_campaign

    transaction.on_commit(lambda: send_campaign.enqueue(campaign_id))


@transaction.atomic
def campaign_schedule(*, campaign: Campaign, at: datetime.datetime | None) -> Campaign:
    """Send at `at`, or now when `at` is None (the worker starts at once)."""
    if campaign.status not in (Campaign.Status.DRAFT, Campaign.Status.SCHEDULED):
        raise ValidationError(_("This campaign was already sent or cancelled."))
    if not campaign.lists.exists():
        raise ValidationError(_("Choose at least one mailing list."))
    if not (campaign.body_html.strip() or campaign.blocks):
        raise ValidationError(_("The message is empty."))
    now = timezone.now()
    if at is not None and at > now:
        campaign.status, campaign.scheduled_at = Campaign.Status.SCHEDULED, at
        campaign.save(update_fields=["status", "scheduled_at", "updated_at"])
        return campaign
    campaign.status, campaign.scheduled_at, campaign.started_at = (
        Campaign.Status.SENDING,
        campaign.scheduled_at or now,
        now,
    )
    campaign.save(update_fields=["status", "scheduled_at", "started_at", "updated_at"])
    _enqueue_send(campaign.pk)
    return campaign


@transaction.atomic
def campaign_unschedule(*, campaign: Campaign) -> Campaign:
    """A scheduled campaign back to draft."""
    updated = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SCHEDULED).update(
        status=Campaign.Status.DRAFT, scheduled_at=None
    )
    if not updated:
        raise ValidationError(_("Only a scheduled campaign can go back to draft."))
    campaign.refresh_from_db()
    return campaign


def _transition(campaign: Campaign, sources: list[str], target: str, message: str) -> Campaign:
    if not Campaign.objects.filter(pk=campaign.pk, status__in=sources).update(status=target):
        raise ValidationError(message)
    campaign.refresh_from_db()
    return campaign


@transaction.atomic
def campaign_pause(*, campaign: Campaign) -> Campaign:
    """Stop sending after the message being sent; nothing is lost."""
    return _transition(
        campaign,
        [Campaign.Status.SENDING],
        Campaign.Status.PAUSED,
        _("Only a campaign being sent can be paused."),
    )


@transaction.atomic
def campaign_resume(*, campaign: Campaign) -> Campaign:
    campaign = _transition(
        campaign,
        [Campaign.Status.PAUSED],
        Campaign.Status.SENDING,
        _("Only a paused campaign can be resumed."),
    )
    _enqueue_send(campaign.pk)
    return campaign


@transaction.atomic
def campaign_cancel(*, campaign: Campaign) -> Campaign:
    """Cancel a scheduled, sending or paused campaign: what was sent stays sent, nothing more."""
    return _transition(
        campaign,
        [Campaign.Status.SCHEDULED, Campaign.Status.SENDING, Campaign.Status.PAUSED],
        Campaign.Status.CANCELLED,
        _("This campaign can no longer be cancelled."),
    )


@transaction.atomic
def deliveries_resend_uncertain(*, campaign: Campaign) -> int:
    """Staff decided to resend the uncertain deliveries (possibly a second copy for some)."""
    count = campaign.deliveries.filter(status=Delivery.Status.UNCERTAIN).update(
        status=Delivery.Status.PENDING, next_attempt_at=None, claimed_by="", claimed_at=None
    )
    if count and campaign.status == Campaign.Status.SENT:
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING)
    if count:
        _enqueue_send(campaign.pk)
    return count


def sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Start due campaigns and (re)start sending ones no live run holds; ids enqueued."""
    from .tasks import send_campaign

    now = now or timezone.now()
    due = list(
        Campaign.objects.filter(
            status=Campaign.Status.SCHEDULED, scheduled_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in due:
        Campaign.objects.filter(pk=pk, status=Campaign.Status.SCHEDULED).update(
            status=Campaign.Status.SENDING, started_at=now
        )
    idle = Campaign.objects.filter(status=Campaign.Status.SENDING).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    ids = sorted(set(idle.values_list("pk", flat=True)))
    for pk in ids:
        send_campaign.enqueue(pk)
    unsubscriptions_sync(since=now - datetime.timedelta(days=2))
    return ids


# Sending -----------------------------------------------------------------------------------


def _lease_seconds() -> int:
    return int(getattr(settings, "CAMPAIGNS_LEASE_SECONDS", 120))


def _acquire_lease(campaign_id: int, owner: str) -> bool:
    now = timezone.now()
    return bool(
        Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner))
        .update(lease_owner=owner, lease_until=now + datetime.timedelta(seconds=_lease_seconds()))
    )


def _renew_lease(campaign_id: int, owner: str) -> bool:
    until = timezone.now() + datetime.timedelta(seconds=_lease_seconds())
    return bool(
        Campaign.objects.filter(pk=campaign_id, lease_owner=owner).update(lease_until=until)
    )


def _release_lease(campaign_id: int, owner: str) -> None:
    Campaign.objects.filter(pk=campaign_id, lease_owner=owner).update(
        lease_owner="", lease_until=None
    )


def deliveries_materialize(*, campaign: Campaign) -> int:
    """One delivery per address the lists reach; idempotent (unique campaign + address)."""
    chunk: list[Delivery] = []
    total = 0
    for recipient in newsletter_selectors.recipients(lists=list(campaign.lists.all())):
        chunk.append(
            Delivery(
                campaign=campaign,
                address=recipient.address,
                person_id=recipient.person_id,
                subscription_id=recipient.subscription_id,
                first_name=recipient.first_name[:150],
                last_name=recipient.last_name[:150],
                organization_name=recipient.organization_name[:255],
                tracking_allowed=recipient.tracking_allowed,
            )
        )
        if len(chunk) >= MATERIALIZE_CHUNK:
            Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
            total += len(chunk)
            chunk = []
    if chunk:
        Delivery.objects.bulk_create(chunk, ignore_conflicts=True)
        total += len(chunk)
    blocks_html, blocks_text = campaign_blocks.render_blocks(
        campaign.blocks, language=campaign.language
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        materialized_at=timezone.now(),
        rendered_blocks_html=blocks_html,
        rendered_blocks_text=blocks_text,
    )
    campaign.refresh_from_db()
    return total


def _retry_later(delivery_id: int, owner: str, attempts: int, error: str) -> None:
    if attempts > len(BACKOFF_MINUTES):
        Delivery.objects.filter(pk=delivery_id, claimed_by=owner).update(
            status=Delivery.Status.FAILED, attempts=attempts, last_error=error[:500]
        )
        return
    Delivery.objects.filter(pk=delivery_id, claimed_by=owner).update(
        status=Delivery.Status.PENDING,
        attempts=attempts,
        last_error=error[:500],
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=BACKOFF_MINUTES[attempts - 1]),
    )


def _smtp_code(error: Exception, address: str) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = error.recipients.get(address) or next(iter(error.recipients.values()), None)
        return refused[0] if refused else None
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def _send_one(
    campaign: Campaign, delivery_id: int, owner: str, connection, mailing_list=None
) -> str:
    """Claim, send and confirm one delivery; 'sent', 'skipped', 'failed', 'retry' or 'reconnect'."""
    now = timezone.now()
    if not Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENDING, claimed_at=now, claimed_by=owner
    ):
        return "skipped"  # another run took it, or staff changed it meanwhile
    delivery = Delivery.objects.get(pk=delivery_id)
    if newsletter_services.is_suppressed(address=delivery.address):
        Delivery.objects.filter(pk=delivery_id).update(status=Delivery.Status.SKIPPED)
        return "skipped"
    message_id = f"<{delivery.token}@{_domain()}>"
    unsubscribe = newsletter_services.unsubscribe_url(
        address=delivery.address, mailing_list=mailing_list
    )
    person = Person(
        delivery.address, delivery.first_name, delivery.last_name, delivery.organization_name
    )
    rendered = render_message(
        campaign,
        person,
        blocks=(campaign.rendered_blocks_html, campaign.rendered_blocks_text),
        unsubscribe_url=unsubscribe,
        web_url=_web_url(campaign, delivery.token),
        token=delivery.token,
        tracking=delivery.tracking_allowed,
    )
    message = build_email(
        campaign,
        rendered,
        to=delivery.address,
        unsubscribe_url=unsubscribe,
        message_id=message_id,
        connection=connection,
    )
    try:
        connection.send_messages([message])
    except (smtplib.SMTPException, OSError) as error:
        code = _smtp_code(error, delivery.address)
        text = f"{code or ''} {error}".strip()
        if code is not None and 500 <= code < 600:
            Delivery.objects.filter(pk=delivery_id, claimed_by=owner).update(
                status=Delivery.Status.FAILED, attempts=F("attempts") + 1, last_error=text[:500]
            )
            return "failed"
        _retry_later(delivery_id, owner, delivery.attempts + 1, text)
        connected = code is not None and not isinstance(error, smtplib.SMTPServerDisconnected)
        return "retry" if connected else "reconnect"
    Delivery.objects.filter(pk=delivery_id, claimed_by=owner).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), message_id=message_id, last_error=""
    )
    return "sent"


def _open_connection():
    connection = get_connection()
    connection.open()
    return connection


def _finish_if_done(campaign_id: int) -> bool:
    unfinished = Delivery.objects.filter(
        campaign_id=campaign_id, status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]
    ).exists()
    if unfinished:
        return False
    now = timezone.now()
    Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).update(
        status=Campaign.Status.SENT, finished_at=Coalesce(F("finished_at"), now), last_error=""
    )
    return True


def campaign_send(*, campaign_id: int) -> dict:
    """Send what is due of a campaign; safe to run twice, after a crash or concurrently."""
    owner = uuid.uuid4().hex
    if not _acquire_lease(campaign_id, owner):
        return {"busy": True}
    counts = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0, "uncertain": 0}
    try:
        # Rows a previous run claimed but never confirmed: accepted by the server or not, we
        # cannot tell. Staff decide (« Renvoyer »).
        counts["uncertain"] = (
            Delivery.objects.filter(campaign_id=campaign_id, status=Delivery.Status.SENDING)
            .exclude(claimed_by=owner)
            .update(status=Delivery.Status.UNCERTAIN, last_error="claimed by a run that stopped")
        )
        campaign = Campaign.objects.get(pk=campaign_id)
        if campaign.materialized_at is None:
            deliveries_materialize(campaign=campaign)
        _send_due(campaign, owner, counts)
        _finish_if_done(campaign_id)
    finally:
        _release_lease(campaign_id, owner)
    return counts


def _send_due(campaign: Campaign, owner: str, counts: dict) -> None:
    rate = int(getattr(settings, "CAMPAIGNS_RATE_PER_MINUTE", 0) or 0)
    interval = 60.0 / rate if rate > 0 else 0.0
    batch_size = max(1, int(getattr(settings, "CAMPAIGNS_BATCH_SIZE", 100)))
    renew_every = max(1.0, _lease_seconds() / 3)
    renewed, next_slot, sent_since_check = time.monotonic(), time.monotonic(), 0
    mailing_list = _list_for_unsubscription(campaign)  # once per run, not per message
    while True:
        if not _renew_lease(campaign.pk, owner) or not _still_sending(campaign.pk):
            return
        renewed = time.monotonic()
        due = Delivery.objects.filter(campaign=campaign, status=Delivery.Status.PENDING).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
        )
        ids = list(due.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        try:
            connection = _open_connection()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("campaign %s: mail server unreachable: %s", campaign.pk, error)
            Campaign.objects.filter(pk=campaign.pk).update(
                last_error=_("The mail server cannot be reached: %(error)s") % {"error": error}
            )
            return
        try:
            for delivery_id in ids:
                if interval:
                    time.sleep(max(0.0, next_slot - time.monotonic()))
                    next_slot = max(next_slot, time.monotonic()) + interval
                if time.monotonic() - renewed > renew_every:
                    if not _renew_lease(campaign.pk, owner):
                        return
                    renewed = time.monotonic()
                sent_since_check += 1
                if sent_since_check >= STATUS_CHECK_EVERY:
                    sent_since_check = 0
                    if not _still_sending(campaign.pk):
                        return
                outcome = _send_one(campaign, delivery_id, owner, connection, mailing_list)
                counts["retry" if outcome == "reconnect" else outcome] += 1
                if outcome == "reconnect":
                    connection.close()
                    try:
                        connection = _open_connection()
                    except (smtplib.SMTPException, OSError):
                        return
        finally:
            connection.close()


def _still_sending(campaign_id: int) -> bool:
    return Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).exists()


# Tracking, bounces, unsubscriptions --------------------------------------------------------


def delivery_opened(*, token: str) -> bool:
    """Count an open, only for a recipient who consented to measurement."""
    return bool(
        Delivery.objects.filter(token=token, tracking_allowed=True).update(
            open_count=F("open_count") + 1, opened_at=Coalesce(F("opened_at"), timezone.now())
        )
    )


@transaction.atomic
def delivery_clicked(*, delivery: Delivery, url: str) -> None:
    """Count a click (and the open it implies), only for a recipient who consented."""
    if not delivery.tracking_allowed:
        return
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        click_count=F("click_count") + 1,
        clicked_at=Coalesce(F("clicked_at"), now),
        opened_at=Coalesce(F("opened_at"), now),
        open_count=F("open_count") + (0 if delivery.opened_at else 1),
    )
    Click.objects.create(delivery=delivery, url=url[:2000])


def delivery_bounced(address: str, kind: str, message_id: str) -> None:
    """Bounce listener registered with the newsletters: mark the delivery it answers bounced."""
    deliveries = Delivery.objects.filter(status__in=[Delivery.Status.SENT, Delivery.Status.BOUNCED])
    match = None
    if message_id:
        match = deliveries.filter(message_id=message_id.strip()).first()
    if match is None and address:
        match = deliveries.filter(address=address.strip().lower()).order_by("-sent_at").first()
    if match is None:
        return
    Delivery.objects.filter(pk=match.pk).update(
        status=Delivery.Status.BOUNCED, bounced_at=Coalesce(F("bounced_at"), timezone.now())
    )


def delivery_unsubscribed(*, address: str, at: datetime.datetime | None = None) -> bool:
    """Count an unsubscription on the latest campaign this address received in the 30 days
    before it; idempotent (the same unsubscription is counted once)."""
    at = at or timezone.now()
    deliveries = Delivery.objects.filter(address=address.strip().lower())
    if deliveries.filter(unsubscribed_at=at).exists():
        return False
    match = (
        deliveries.filter(
            status=Delivery.Status.SENT,
            sent_at__gte=at - datetime.timedelta(days=30),
            sent_at__lte=at,
            unsubscribed_at__isnull=True,
        )
        .order_by("-sent_at")
        .first()
    )
    if match is None:
        return False
    Delivery.objects.filter(pk=match.pk).update(unsubscribed_at=at)
    return True


def unsubscriptions_sync(*, since: datetime.datetime) -> int:
    """Count on the deliveries the unsubscriptions the newsletters recorded since `since`
    (from one list or from all), each on the campaign received just before."""
    events = set(
        Subscription.objects.filter(unsubscribed_at__gte=since).values_list(
            "address", "unsubscribed_at"
        )
    )
    events |= set(
        Suppression.objects.filter(
            reason=Suppression.Reason.UNSUBSCRIBED, created_at__gte=since
        ).values_list("address", "created_at")
    )
    counted, seen = 0, set()
    for address, at in sorted(events, key=lambda event: event[1]):
        if address in seen:  # from one list, then from all: one unsubscription
            continue
        seen.add(address)
        counted += delivery_unsubscribed(address=address, at=at)
    return counted
