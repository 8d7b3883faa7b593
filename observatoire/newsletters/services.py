"""Writes of the mailing lists: subscribing, confirming, unsubscribing, suppressing, bounces."""

import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from observatoire.organizations.models import Consent, Person, PersonEmail
from observatoire.organizations.services import consent_record

from .models import (
    Bounce,
    MailingList,
    Subscription,
    Suppression,
    address_hash,
    normalize_address,
)

UNSUBSCRIBE_SALT = "observatoire.newsletters.unsubscribe"
SOFT_BOUNCE_LIMIT = 3
SOFT_BOUNCE_DAYS = 30

BounceListener = Callable[[str, str, str], None]
_bounce_listeners: list[BounceListener] = []


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def clean_address(address: str) -> str:
    """The address lower-cased and stripped; ValidationError when it is not an address."""
    address = normalize_address(address)
    validate_email(address)
    return address


# --- Unsubscription links -------------------------------------------------------------------


def unsubscribe_token(*, address: str, mailing_list: MailingList | None) -> str:
    payload = {"a": normalize_address(address), "l": mailing_list.pk if mailing_list else None}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[str, int | None]:
    """(address, list id or None); signing.BadSignature when the token was tampered with."""
    payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(payload, dict) or not isinstance(payload.get("a"), str):
        raise signing.BadSignature("unexpected payload")
    list_id = payload.get("l")
    if list_id is not None and not isinstance(list_id, int):
        raise signing.BadSignature("unexpected payload")
    return payload["a"], list_id


def unsubscribe_url(*, address: str, mailing_list: MailingList | None) -> str:
    """The absolute URL of the one-click unsubscribe page for this address (signed, no row)."""
    token = unsubscribe_token(address=address, mailing_list=mailing_list)
    return _absolute(reverse("newsletters:unsubscribe", args=[token]))


# --- Suppression ----------------------------------------------------------------------------


def is_suppressed(*, address: str) -> bool:
    """Whether nothing may be sent to this address (checked in clear and as a hash)."""
    address = normalize_address(address)
    return (
        Suppression.objects.active().filter(address__in=[address, address_hash(address)]).exists()
    )


@transaction.atomic
def suppress(*, address: str, reason: str, source: str) -> None:
    """Put an address on the suppression list (kept once; the first reason stays)."""
    if reason not in Suppression.Reason.values:
        raise ValueError(f"unknown suppression reason: {reason}")
    address = normalize_address(address)
    stored = address_hash(address) if reason == Suppression.Reason.ERASED else address
    if address and not Suppression.objects.active().filter(address=stored).exists():
        Suppression.objects.create(address=stored, reason=reason, source=source[:200])


@transaction.atomic
def suppression_lift(*, address: str, by: str) -> int:
    """The address asked again, with double opt-in, to receive mail: lift its suppressions."""
    address = normalize_address(address)
    return (
        Suppression.objects.active()
        .filter(address__in=[address, address_hash(address)])
        .update(lifted_at=timezone.now(), lifted_by=by[:200])
    )


# --- Bounces --------------------------------------------------------------------------------


def register_bounce_listener(listener: BounceListener) -> None:
    """Call `listener(address, kind, message_id)` for each bounce recorded (campaigns use it)."""
    if listener not in _bounce_listeners:
        _bounce_listeners.append(listener)


@transaction.atomic
def record_bounce(
    *, address: str, kind: str, diagnostic: str, message_id: str = "", report_id: str = ""
) -> None:
    """Record a bounce; a hard one, or the third soft one in 30 days, suppresses the address."""
    if kind not in Bounce.Kind.values:
        raise ValueError(f"unknown bounce kind: {kind}")
    address = normalize_address(address)
    if not address:
        return
    if report_id and Bounce.objects.filter(report_id=report_id, address=address).exists():
        return
    Bounce.objects.create(
        address=address,
        kind=kind,
        diagnostic=(diagnostic or "")[:2000],
        message_id=(message_id or "")[:300],
        report_id=report_id[:300],
    )
    if kind == Bounce.Kind.HARD:
        suppress(address=address, reason=Suppression.Reason.HARD_BOUNCE, source="bounce")
    else:
        since = timezone.now() - datetime.timedelta(days=SOFT_BOUNCE_DAYS)
        recent = Bounce.objects.filter(address=address, kind=kind, received_at__gte=since)
        if recent.count() >= SOFT_BOUNCE_LIMIT:
            suppress(address=address, reason=Suppression.Reason.HARD_BOUNCE, source="soft bounces")
    for listener in list(_bounce_listeners):
        listener(address, kind, message_id or "")


# --- Subscribing ----------------------------------------------------------------------------


def _new_token() -> tuple[str, datetime.datetime]:
    hours = settings.NEWSLETTERS_CONFIRMATION_HOURS
    return secrets.token_urlsafe(32), timezone.now() + datetime.timedelta(hours=hours)


def _people_with_address(address: str) -> list[Person]:
    return list(
        Person.objects.not_archived()
        .filter(pk__in=PersonEmail.objects.filter(address=address).values("person_id"))
        .order_by("pk")
    )


@dataclass
class SubscriptionRequest:
    address: str
    first_name: str = ""
    last_name: str = ""
    organization_name: str = ""
    wording: str = ""
    tracking_allowed: bool = False
    lists: list[MailingList] = field(default_factory=list)


@transaction.atomic
def subscription_request(*, request: SubscriptionRequest) -> str:
    """Record pending subscriptions and mail the confirmation link; '' when nothing is pending.

    An address already confirmed on a list is left as it is: the page says the same thing
    either way, so that the form never tells whether someone is subscribed.
    """
    address = clean_address(request.address)
    token, expires_at = _new_token()
    now = timezone.now()
    pending = 0
    for mailing_list in request.lists:
        subscription = (
            Subscription.objects.select_for_update()
            .filter(mailing_list=mailing_list, address=address)
            .first()
        )
        if subscription is not None and subscription.status == Subscription.Status.CONFIRMED:
            continue
        subscription = subscription or Subscription(mailing_list=mailing_list, address=address)
        subscription.first_name = request.first_name.strip()[:100]
        subscription.last_name = request.last_name.strip()[:100]
        subscription.organization_name = request.organization_name.strip()[:200]
        subscription.status = Subscription.Status.PENDING
        subscription.source = Subscription.Source.FORM
        subscription.consent_wording = request.wording
        subscription.consented_at = now
        subscription.tracking_allowed = request.tracking_allowed
        subscription.token, subscription.token_expires_at = token, expires_at
        subscription.full_clean(validate_unique=False)
        subscription.save()
        pending += 1
    if not pending:
        return ""
    from . import notifications

    notifications.after_commit(notifications.send_confirmation, token=token)
    return token


class ConfirmationResult:
    PENDING = "pending"
    CONFIRMED = "confirmed"
    ALREADY = "already"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@transaction.atomic
def subscription_confirm(*, token: str) -> str:
    """Confirm the subscriptions of a link: one of ConfirmationResult's values."""
    subscriptions = list(
        Subscription.objects.select_for_update()
        .filter(token=token)
        .exclude(token="")
        .select_related("mailing_list")
    )
    if not token or not subscriptions:
        return ConfirmationResult.UNKNOWN
    pending = [s for s in subscriptions if s.status == Subscription.Status.PENDING]
    if not pending:
        return ConfirmationResult.ALREADY
    now = timezone.now()
    if any(s.token_expires_at is None or s.token_expires_at < now for s in pending):
        return ConfirmationResult.EXPIRED
    address = pending[0].address
    people = _people_with_address(address)
    for subscription in pending:
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = now
        subscription.unsubscribed_at = None
        if people and subscription.person_id is None:
            subscription.person = people[0]
        subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "person"])
    # The register's consents say the same as the lists.
    for purpose in sorted({s.mailing_list.purpose for s in pending}):
        wording = next(s.consent_wording for s in pending if s.mailing_list.purpose == purpose)
        for person in people:
            consent_record(
                person=person,
                purpose=purpose,
                granted=True,
                source=Consent.ConsentSource.FORM,
                wording=wording,
                given_at=now,
            )
    suppression_lift(address=address, by="double opt-in")
    return ConfirmationResult.CONFIRMED


@transaction.atomic
def subscription_resend(*, token: str) -> bool:
    """A new link for the still pending subscriptions of an expired one; False if none."""
    subscriptions = Subscription.objects.select_for_update().filter(
        token=token, status=Subscription.Status.PENDING
    )
    if not token or not subscriptions.exists():
        return False
    new_token, expires_at = _new_token()
    subscriptions.update(token=new_token, token_expires_at=expires_at)
    from . import notifications

    notifications.after_commit(notifications.send_confirmation, token=new_token)
    return True


@transaction.atomic
def subscriber_add(
    *,
    mailing_list: MailingList,
    address: str,
    first_name: str = "",
    last_name: str = "",
    organization_name: str = "",
    wording: str,
    consented_at: datetime.datetime,
    source: str = Subscription.Source.STAFF,
) -> Subscription:
    """Add a confirmed subscriber by hand (staff): the consent was collected elsewhere."""
    address = clean_address(address)
    if not wording.strip():
        raise ValidationError({"wording": "required"})
    people = _people_with_address(address)
    subscription, _created = Subscription.objects.update_or_create(
        mailing_list=mailing_list,
        address=address,
        defaults={
            "first_name": first_name.strip()[:100],
            "last_name": last_name.strip()[:100],
            "organization_name": organization_name.strip()[:200],
            "status": Subscription.Status.CONFIRMED,
            "source": source,
            "consent_wording": wording,
            "consented_at": consented_at,
            "confirmed_at": timezone.now(),
            "unsubscribed_at": None,
            "token": "",
            "token_expires_at": None,
            "person": people[0] if people else None,
        },
    )
    for person in people:
        consent_record(
            person=person,
            purpose=mailing_list.purpose,
            granted=True,
            source=Consent.ConsentSource.STAFF
            if source == Subscription.Source.STAFF
            else Consent.ConsentSource.IMPORT,
            wording=wording,
            given_at=consented_at,
        )
    return subscription


# --- Unsubscribing --------------------------------------------------------------------------


@transaction.atomic
def unsubscribe(
    *, address: str, mailing_list: MailingList | None, source: str, everything: bool = False
) -> None:
    """Unsubscribe an address from one list, or from all (which also suppresses it).

    The register's people with this address get a withdrawn consent for the purposes left,
    so that no dynamic list reaches them again.
    """
    address = normalize_address(address)
    now = timezone.now()
    subscriptions = Subscription.objects.filter(address=address).exclude(
        status=Subscription.Status.UNSUBSCRIBED
    )
    purposes: set[str] = set()
    if everything or mailing_list is None:
        purposes = set(MailingList.Purpose.values)
        suppress(address=address, reason=Suppression.Reason.UNSUBSCRIBED, source=source)
    else:
        subscriptions = subscriptions.filter(mailing_list=mailing_list)
        purposes = {mailing_list.purpose}
    subscriptions.update(status=Subscription.Status.UNSUBSCRIBED, unsubscribed_at=now)
    consent_source = {
        "link": Consent.ConsentSource.FORM,
        "one-click": Consent.ConsentSource.EMAIL,
    }.get(source, Consent.ConsentSource.STAFF)
    with override(settings.LANGUAGE_CODE):
        wording = _("Unsubscribed (%(source)s)") % {"source": source}
    for person in _people_with_address(address):
        for purpose in sorted(purposes):
            consent_record(
                person=person,
                purpose=purpose,
                granted=False,
                source=consent_source,
                wording=wording,
                given_at=now,
            )


def subscription_state(*, token: str) -> str:
    """What confirming this link would do, without doing it (the page before the button)."""
    subscriptions = list(Subscription.objects.filter(token=token).exclude(token=""))
    if not token or not subscriptions:
        return ConfirmationResult.UNKNOWN
    pending = [s for s in subscriptions if s.status == Subscription.Status.PENDING]
    if not pending:
        return ConfirmationResult.ALREADY
    now = timezone.now()
    if any(s.token_expires_at is None or s.token_expires_at < now for s in pending):
        return ConfirmationResult.EXPIRED
    return ConfirmationResult.PENDING


@dataclass(frozen=True)
class RejectedRow:
    line: int
    text: str
    reason: str


class ImportRejected(Exception):
    def __init__(self, rejected: list[RejectedRow]):
        super().__init__(f"{len(rejected)} rows rejected")
        self.rejected = rejected


@transaction.atomic
def subscribers_import(
    *,
    mailing_list: MailingList,
    rows: list[tuple[int, list[str]]],
    wording: str,
    consented_at: datetime.datetime,
) -> int:
    """Add every row as a confirmed subscriber, or none: ImportRejected lists each bad row."""
    rejected: list[RejectedRow] = []
    seen: dict[str, int] = {}
    valid = []
    for line, cells in rows:
        text = ", ".join(cells)
        try:
            address = clean_address(cells[0] if cells else "")
        except ValidationError:
            rejected.append(RejectedRow(line, text, _("invalid e-mail address")))
            continue
        if address in seen:
            rejected.append(
                RejectedRow(
                    line, text, _("same address as line %(line)d") % {"line": seen[address]}
                )
            )
            continue
        seen[address] = line
        valid.append((address, (cells + ["", "", ""])[1:4]))
    if not valid and not rejected:
        rejected.append(RejectedRow(0, "", _("no row to import")))
    if rejected:
        raise ImportRejected(rejected)
    for address, (first_name, last_name, organization_name) in valid:
        subscriber_add(
            mailing_list=mailing_list,
            address=address,
            first_name=first_name,
            last_name=last_name,
            organization_name=organization_name,
            wording=wording,
            consented_at=consented_at,
            source=Subscription.Source.IMPORT,
        )
    return len(valid)


@transaction.atomic
def mailing_list_save(
    *, mailing_list: MailingList, filter_query: str = "", user=None
) -> MailingList:
    """Create or update a list; its slug is given once, from its name."""
    from observatoire.core.text import unique_slug

    if mailing_list.kind == MailingList.Kind.DYNAMIC:
        mailing_list.filter_query = filter_query
        mailing_list.is_public = False
    else:
        mailing_list.filter_query = ""
    if not mailing_list.slug:
        mailing_list.slug = unique_slug(
            MailingList.objects.all(), mailing_list.name, fallback="liste"
        )
    if mailing_list.pk is None:
        mailing_list.created_by = user
    mailing_list.full_clean()
    mailing_list.save()
    return mailing_list


@transaction.atomic
def address_suppress(*, address: str, reason: str, by: str) -> None:
    """Staff stop an address by hand: unsubscribed from everything, with the reason given."""
    address = clean_address(address)
    if reason == Suppression.Reason.UNSUBSCRIBED:
        unsubscribe(address=address, mailing_list=None, source=f"staff: {by}", everything=True)
    else:
        suppress(address=address, reason=reason, source=f"staff: {by}")
