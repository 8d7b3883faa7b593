"""Writes of events: registrations (form, staff, import), cancellations, the waiting list,
invitations and reminders.

Every write is atomic; mails leave after the commit, through the worker (see `tasks`).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Min
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.organizations.models import (
    Affiliation,
    Consent,
    Membership,
    Organization,
    Person,
    PersonEmail,
    Source,
)
from observatoire.organizations.services import consent_record, person_add_email, person_save
from observatoire.referentials.models import Country, OrganizationKind

from .models import Event, Registration

INVITATION_SALT = "observatoire.events.invitation"


class RegistrationRefused(ValidationError):
    """A registration the event's rules do not allow; `code` says which rule."""

    CODES = (
        "already_registered",
        "deadline_passed",
        "event_past",
        "event_not_open",
        "members_only",
        "invitation_only",
        "full",
    )

    def __init__(self, message, code: str):
        assert code in self.CODES, code
        super().__init__(message, code=code)


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def event_first_start(event: Event) -> datetime.datetime | None:
    """When the event's first sitting starts (None for an event without sittings yet)."""
    return event.sittings.aggregate(first=Min("starts_at"))["first"]


def event_places_left(event: Event) -> int | None:
    """Places still free; None when the event has no capacity limit."""
    if event.capacity is None:
        return None
    taken = event.registrations.confirmed().count()
    return max(0, event.capacity - taken)


def organization_is_member(organization: Organization | None, *, on: datetime.date) -> bool:
    """Whether the organisation's membership is up to date for that year or the year before.

    Fees are paid during the year: early in a year, last year's membership still counts.
    """
    if organization is None:
        return False
    # Filtered on the organisation first: a `pk__in` subquery over the year's memberships
    # made each page of a member organisation read them all.
    memberships = Membership.objects.filter(organization=organization)
    return memberships.up_to_date(on.year).exists() or memberships.up_to_date(on.year - 1).exists()


# Invitations ------------------------------------------------------------------------------------


def invitation_token(event: Event, email: str) -> str:
    return signing.dumps({"e": event.pk, "m": email.strip().lower()}, salt=INVITATION_SALT)


def invitation_email(event: Event, token: str) -> str | None:
    """The address an invitation to this event was made for; None when forged or for another."""
    try:
        payload = signing.loads(token or "", salt=INVITATION_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("e") != event.pk:
        return None
    email = payload.get("m")
    return email if isinstance(email, str) and email else None


def invitation_url(event: Event, email: str) -> str:
    """The personal link staff send to invite someone to an event on invitation."""
    path = reverse("events:register", args=[event.slug])
    return f"{settings.SITE_URL.rstrip('/')}{path}?invitation={invitation_token(event, email)}"


# Registrations ----------------------------------------------------------------------------------


def _lock_event(event: Event) -> Event:
    # On SQLite the write lock of the transaction already serialises registrations.
    queryset = Event.objects.all()
    if connection.features.has_select_for_update:
        queryset = queryset.select_for_update()
    return queryset.get(pk=event.pk)


def _check_rules(
    event: Event,
    *,
    organization: Organization | None,
    email: str,
    invitation: str,
    now: datetime.datetime,
) -> None:
    first_start = event_first_start(event)
    if event.status != Event.Status.PUBLISHED:
        raise RegistrationRefused(
            _("Registrations for this event are not open."), code="event_not_open"
        )
    if first_start is not None and first_start <= now:
        raise RegistrationRefused(
            _("This event has already started or taken place: registrations are closed."),
            code="event_past",
        )
    if event.registration_deadline is not None and event.registration_deadline < now:
        deadline = timezone.localtime(event.registration_deadline)
        raise RegistrationRefused(
            _("Registrations closed on %(date)s at %(time)s (Paris time).")
            % {"date": deadline.strftime("%d/%m/%Y"), "time": deadline.strftime("%H:%M")},
            code="deadline_passed",
        )
    if event.registration_rule == Event.RegistrationRule.MEMBERS:
        on = timezone.localdate(first_start) if first_start else timezone.localdate(now)
        if not organization_is_member(organization, on=on):
            raise RegistrationRefused(
                _(
                    "This event is reserved for member organisations of the network whose "
                    "membership is up to date. Choose your organisation in the list, or "
                    "contact us at %(email)s."
                )
                % {"email": settings.NETWORK_CONTACT_EMAIL},
                code="members_only",
            )
    if event.registration_rule == Event.RegistrationRule.INVITATION:
        invited = invitation_email(event, invitation)
        if invited is None or invited != email:
            raise RegistrationRefused(
                _(
                    "This event is on invitation: use the personal link you received by "
                    "e-mail, with the address it was sent to."
                ),
                code="invitation_only",
            )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    person: Person,
    email: str,
    organization: Organization | None = None,
    organization_name: str = "",
    referencing_request=None,
    country: Country | None = None,
    time_zone: str = "",
    source: str = Registration.Source.FORM,
    registered_by=None,
    enforce_rules: bool = True,
    notify: bool = True,
    now: datetime.datetime | None = None,
    invitation: str = "",
) -> Registration:
    """Register a person: confirmed when a place is free, on the waiting list when full.

    Staff (`enforce_rules=False`) may register past the deadline, the capacity and the
    registration rule, never twice and never for a cancelled event. `invitation` is the token
    of an invitation link, for an event on invitation.
    """
    now = _now(now)
    email = email.strip().lower()
    event = _lock_event(event)
    if event.registrations.active().filter(person=person).exists():
        raise RegistrationRefused(
            _(
                "%(email)s is already registered for this event. The e-mail we sent at "
                "registration holds the link to see or cancel it."
            )
            % {"email": email},
            code="already_registered",
        )
    if event.status == Event.Status.CANCELLED:
        raise RegistrationRefused(_("This event is cancelled."), code="event_not_open")
    if enforce_rules:
        _check_rules(event, organization=organization, email=email, invitation=invitation, now=now)
    status = Registration.Status.CONFIRMED
    places_left = event_places_left(event)
    if enforce_rules and places_left == 0:
        if not event.waiting_list:
            raise RegistrationRefused(_("This event is full and has no waiting list."), code="full")
        status = Registration.Status.WAITING
    registration = Registration(
        event=event,
        person=person,
        email=email,
        organization=organization,
        organization_name=organization_name or (organization.name if organization else ""),
        referencing_request=referencing_request,
        country=country,
        time_zone=time_zone,
        status=status,
        source=source,
        registered_at=now,
        confirmed_at=now if status == Registration.Status.CONFIRMED else None,
    )
    registration.full_clean(exclude=["event", "person"], validate_constraints=False)
    registration._history_user = registered_by
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:
        # The unique constraint caught a registration made at the same instant.
        raise RegistrationRefused(
            _("%(email)s is already registered for this event.") % {"email": email},
            code="already_registered",
        ) from error
    if notify:
        _mail_after_commit(registration, "confirmed" if status == "confirmed" else "waiting")
    return registration


def _mail_after_commit(registration: Registration, kind: str) -> None:
    from .tasks import send_registration_mail

    registration_id = registration.pk
    transaction.on_commit(
        lambda: send_registration_mail.enqueue(registration_id=registration_id, kind=kind)
    )


@transaction.atomic
def registration_cancel(
    registration: Registration, *, cancelled_by=None, now: datetime.datetime | None = None
) -> Registration:
    """Cancel a registration (once); the freed place goes to the first on the waiting list."""
    now = _now(now)
    event = _lock_event(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration._history_user = cancelled_by
    registration.save(update_fields=["status", "cancelled_at"])
    if freed:
        waiting_list_promote(event=event, now=now)
    return registration


def waiting_list_promote(*, event: Event, now: datetime.datetime | None = None) -> list:
    """Give the free places to the people waiting, first come first served; mail each one."""
    now = _now(now)
    promoted = []
    if event.status == Event.Status.CANCELLED:
        return promoted
    first_start = event_first_start(event)
    if first_start is not None and first_start <= now:
        return promoted
    places_left = event_places_left(event)
    waiting = event.registrations.waiting()
    if places_left is not None:
        waiting = waiting[:places_left]
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        _mail_after_commit(registration, "promoted")
        promoted.append(registration)
    return promoted


# The public form --------------------------------------------------------------------------------


@dataclass
class RegistrationRequest:
    """What a visitor typed in the registration form, cleaned."""

    first_name: str
    last_name: str
    email: str
    organization: Organization | None = None
    organization_name: str = ""
    organization_kind: OrganizationKind | None = None
    country: Country | None = None
    time_zone: str = ""
    consents: list[dict] = field(default_factory=list)  # {"purpose", "wording"} granted
    invitation: str = ""


def person_for_email(*, email: str, first_name: str, last_name: str) -> Person:
    """The register's person with this address, or a new one."""
    known = (
        PersonEmail.objects.filter(address__iexact=email, person__erased_at__isnull=True)
        .select_related("person")
        .order_by("-is_primary", "pk")
        .first()
    )
    if known is not None:
        return known.person
    person = person_save(
        person=Person(first_name=first_name, last_name=last_name, source=Source.FORM)
    )
    person_add_email(person=person, address=email, is_primary=True)
    return person


def _referencing_request_for(data: RegistrationRequest, person: Person):
    from observatoire.referencing.forms import CONSENT_WORDING
    from observatoire.referencing.services import referencing_request_submit

    kind = data.organization_kind or OrganizationKind.objects.filter(slug="other").first()
    granted = {c["purpose"] for c in data.consents}
    return referencing_request_submit(
        data={"name": data.organization_name, "kind": kind},
        contacts=[
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": data.email,
                "consents": [
                    {"purpose": str(p), "granted": p in granted, "wording": str(w)}
                    for p, w in CONSENT_WORDING.items()
                ],
            }
        ],
        requester_email=data.email,
    )


@transaction.atomic
def registration_submit(
    *, event: Event, data: RegistrationRequest, now: datetime.datetime | None = None
) -> Registration:
    """A visitor's registration: the person (found by e-mail or created), their consents, their
    organisation (from the register, or a referencing request when unknown), then the place."""
    now = _now(now)
    email = data.email.strip().lower()
    person = person_for_email(email=email, first_name=data.first_name, last_name=data.last_name)
    registration = registration_create(
        event=event,
        person=person,
        email=email,
        organization=data.organization,
        organization_name=data.organization_name,
        country=data.country,
        time_zone=data.time_zone,
        source=Registration.Source.FORM,
        now=now,
        invitation=data.invitation,
    )
    if data.organization is None and data.organization_name:
        # Made once the place is accepted: a refused registration leaves no request behind.
        registration.referencing_request = _referencing_request_for(data, person)
        registration.save(update_fields=["referencing_request"])
    if data.organization is not None:
        if not Affiliation.objects.filter(person=person, organization=data.organization).exists():
            Affiliation.objects.create(person=person, organization=data.organization)
    for consent in data.consents:
        consent_record(
            person=person,
            purpose=consent["purpose"],
            granted=True,
            source=Consent.ConsentSource.EVENT,
            wording=consent["wording"],
            given_at=now,
        )
    return registration


# Reminders --------------------------------------------------------------------------------------


def registrations_due_reminder(*, now: datetime.datetime | None = None):
    """Confirmed registrations whose event's first sitting starts within the reminder delay,
    not reminded yet, and whose place was given before the delay began."""
    now = _now(now)
    delay = datetime.timedelta(hours=settings.EVENT_REMINDER_HOURS)
    return (
        Registration.objects.confirmed()
        .filter(reminder_sent_at__isnull=True, event__status=Event.Status.PUBLISHED)
        .annotate(
            first_start=F("event__first_starts_at"),
            place_given=Coalesce("confirmed_at", "registered_at"),
        )
        .filter(first_start__gt=now, first_start__lte=now + delay)
        # Registered within the delay: the confirmation just told them everything.
        .filter(place_given__lte=F("first_start") - delay)
    )


def event_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send the reminder once to each registration due; returns how many were sent."""
    from .notifications import send_registration_mail

    now = _now(now)
    sent = 0
    for registration in registrations_due_reminder(now=now):
        # Claimed before sending: two sweeps at once never send the same reminder twice.
        claimed = Registration.objects.filter(
            pk=registration.pk, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
        if not claimed:
            continue
        send_registration_mail(registration_id=registration.pk, kind="reminder")
        sent += 1
    return sent
