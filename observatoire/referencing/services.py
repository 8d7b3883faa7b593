"""Writes of the referencing workflow: submit, confirm, complete, ask, reject, qualify.

Every write is atomic; mails leave after the commit (see `notifications`).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from observatoire.organizations.models import (
    Affiliation,
    Consent,
    Organization,
    Person,
    PersonEmail,
    PersonPhone,
    Source,
)
from observatoire.organizations.services import (
    consent_record,
    organization_refresh_search_text,
    organization_save,
    person_add_email,
    person_save,
)

from . import notifications
from .models import ORGANIZATION_FIELDS, TAG_FIELDS, ReferencingContact, ReferencingRequest
from .notifications import after_commit


def _set_contacts(referencing_request: ReferencingRequest, contacts: list[dict]) -> None:
    referencing_request.contacts.all().delete()
    given_at = timezone.now().isoformat()
    for position, data in enumerate(contacts):
        consents = [{**consent, "given_at": given_at} for consent in data.get("consents", [])]
        contact = ReferencingContact(
            request=referencing_request,
            position=position,
            first_name=data["first_name"],
            last_name=data["last_name"],
            job_title=data.get("job_title", ""),
            email=data["email"].strip().lower(),
            phone=data.get("phone", ""),
            consents=consents,
        )
        contact.full_clean(exclude=["request"])
        contact.save()


def _set_organization_data(referencing_request: ReferencingRequest, data: dict) -> None:
    for name in ORGANIZATION_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name not in ("kind", "commune") and value is None:
            value = ""
        setattr(referencing_request, name, value)


@transaction.atomic
def referencing_request_submit(
    *,
    data: dict,
    contacts: list[dict],
    requester_email: str,
    target_organization: Organization | None = None,
) -> ReferencingRequest:
    """Record a request from the public form and send the link confirming the address."""
    if not contacts:
        raise ValidationError(_("Give at least one contact."))
    referencing_request = ReferencingRequest(
        requester_email=requester_email.strip().lower(), target_organization=target_organization
    )
    _set_organization_data(referencing_request, data)
    referencing_request.full_clean(exclude=["secret"])
    referencing_request.save()
    for name in TAG_FIELDS:
        getattr(referencing_request, name).set(data.get(name, []))
    _set_contacts(referencing_request, contacts)
    notifications.after_commit(
        notifications.send_confirmation_link, request_id=referencing_request.pk
    )
    return referencing_request


@transaction.atomic
def referencing_request_confirm(*, referencing_request: ReferencingRequest) -> bool:
    """Mark the requester's address confirmed; the request joins the staff queue.

    Returns False when it was already confirmed (a link opened twice sends nothing again).
    """
    updated = ReferencingRequest.objects.filter(
        pk=referencing_request.pk, email_confirmed_at__isnull=True
    ).update(email_confirmed_at=timezone.now())
    referencing_request.refresh_from_db()
    if not updated:
        return False
    after_commit(notifications.send_follow_link, request_id=referencing_request.pk)
    notifications.after_commit(
        notifications.notify_staff, request_id=referencing_request.pk, event="confirmed"
    )
    return True


@transaction.atomic
def referencing_request_complete(
    *, referencing_request: ReferencingRequest, data: dict, contacts: list[dict]
) -> ReferencingRequest:
    """The requester changes their request; one waiting for them goes back to staff."""
    referencing_request = ReferencingRequest.objects.select_for_update().get(
        pk=referencing_request.pk
    )
    if not referencing_request.is_open:
        raise ValidationError(_("This request was already handled: it can no longer change."))
    if not contacts:
        raise ValidationError(_("Give at least one contact."))
    _set_organization_data(referencing_request, data)
    was_waiting = referencing_request.state == ReferencingRequest.State.WAITING
    referencing_request.state = ReferencingRequest.State.NEW
    referencing_request.full_clean(exclude=["secret"])
    referencing_request.save()
    for name in TAG_FIELDS:
        getattr(referencing_request, name).set(data.get(name, []))
    _set_contacts(referencing_request, contacts)
    if was_waiting:
        notifications.after_commit(
            notifications.notify_staff, request_id=referencing_request.pk, event="completed"
        )
    return referencing_request


def _lock_open(referencing_request: ReferencingRequest) -> ReferencingRequest:
    locked = ReferencingRequest.objects.select_for_update().get(pk=referencing_request.pk)
    if not locked.is_open:
        raise ValidationError(_("This request was already handled."))
    return locked


@transaction.atomic
def referencing_request_ask_information(
    *, referencing_request: ReferencingRequest, message: str, by
) -> ReferencingRequest:
    """Ask the requester for more information; the request waits for them."""
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Write the question to send to the requester."))
    referencing_request = _lock_open(referencing_request)
    referencing_request.state = ReferencingRequest.State.WAITING
    referencing_request.staff_message = message
    referencing_request.handled_by = by
    referencing_request.save(update_fields=["state", "staff_message", "handled_by", "updated_at"])
    after_commit(notifications.send_state_mail, request_id=referencing_request.pk)
    return referencing_request


@transaction.atomic
def referencing_request_reject(
    *, referencing_request: ReferencingRequest, reason: str, by
) -> ReferencingRequest:
    """Refuse the request with a reason that is e-mailed to the requester."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the rejection: the requester receives it."))
    referencing_request = _lock_open(referencing_request)
    referencing_request.state = ReferencingRequest.State.REJECTED
    referencing_request.rejection_reason = reason
    referencing_request.handled_by = by
    referencing_request.decided_at = timezone.now()
    referencing_request.save(
        update_fields=["state", "rejection_reason", "handled_by", "decided_at", "updated_at"]
    )
    after_commit(notifications.send_state_mail, request_id=referencing_request.pk)
    return referencing_request


def _history_reason(referencing_request: ReferencingRequest, fields: Iterable[str]) -> str:
    # The history's reason field holds 100 characters: the request number says where to look.
    with override(settings.LANGUAGE_CODE):
        if not fields:
            reason = _("Qualified from referencing request no. %(number)s")
        else:
            reason = _("Values from referencing request no. %(number)s")
        return (reason % {"number": referencing_request.pk})[:100]


def _person_for_contact(contact: ReferencingContact, *, by, reason: str) -> Person:
    """The person with this e-mail address if the register knows one, a new person otherwise."""
    known = (
        PersonEmail.objects.filter(address__iexact=contact.email, person__erased_at__isnull=True)
        .select_related("person")
        .first()
    )
    if known is not None:
        return known.person
    person = person_save(
        person=Person(
            first_name=contact.first_name,
            last_name=contact.last_name,
            job_title=contact.job_title,
            source=Source.FORM,
        ),
        changed_by=by,
        reason=reason,
    )
    person_add_email(person=person, address=contact.email, is_primary=True)
    if contact.phone:
        phone = PersonPhone(person=person, number=contact.phone)
        phone.full_clean()
        phone.save()
    return person


@transaction.atomic
def referencing_request_qualify(
    *,
    referencing_request: ReferencingRequest,
    by,
    organization: Organization | None = None,
    fields_from_request: Iterable[str] | None = None,
    tags: dict[str, Iterable] | None = None,
) -> Organization:
    """Create the organisation (or update `organization` with the chosen fields) and qualify it.

    `fields_from_request` names the fields whose value the request brings to an existing
    organisation (all of them for a new one); `tags` gives the final themes, SDGs, countries,
    kinds of action and needs as staff completed them (the request's own when not given).
    The organisation's history says which request each value came from.
    """
    referencing_request = _lock_open(referencing_request)
    creating = organization is None
    if creating:
        organization = Organization(source=Source.FORM)
        fields = list(ORGANIZATION_FIELDS)
    else:
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        fields = [f for f in (fields_from_request or []) if f in ORGANIZATION_FIELDS]
    reason = _history_reason(referencing_request, fields)
    for name in fields:
        setattr(organization, name, getattr(referencing_request, name))
    if "commune" in fields and "postal_code" not in fields:
        organization.postal_code = referencing_request.postal_code
    organization.status = Organization.Status.QUALIFIED
    organization_save(organization=organization, changed_by=by, reason=reason)

    tags = (
        tags
        if tags is not None
        else {name: list(getattr(referencing_request, name).all()) for name in TAG_FIELDS}
    )
    # organization_save left the history user and reason on the instance for the tags too.
    for name in TAG_FIELDS:
        if name in tags:
            wanted = {getattr(t, "pk", t) for t in tags[name]}
            current = set(getattr(organization, name).values_list("pk", flat=True))
            if wanted != current:
                getattr(organization, name).set(list(wanted))

    has_main_contact = organization.affiliations.filter(is_main_contact=True).exists()
    for contact in referencing_request.contacts.all():
        person = _person_for_contact(contact, by=by, reason=reason)
        affiliation, created = Affiliation.objects.get_or_create(
            person=person,
            organization=organization,
            defaults={"role": contact.job_title, "is_main_contact": not has_main_contact},
        )
        if created and affiliation.is_main_contact:
            has_main_contact = True
        for consent in contact.consents:
            if not consent.get("granted"):
                continue
            consent_record(
                person=person,
                purpose=consent["purpose"],
                granted=True,
                source=Consent.ConsentSource.FORM,
                wording=consent["wording"],
                given_at=_parse_datetime(consent.get("given_at")),
                changed_by=by,
            )
    organization_refresh_search_text(organization_ids=[organization.pk])

    referencing_request.state = ReferencingRequest.State.QUALIFIED
    referencing_request.organization = organization
    referencing_request.handled_by = by
    referencing_request.decided_at = timezone.now()
    referencing_request.save(
        update_fields=["state", "organization", "handled_by", "decided_at", "updated_at"]
    )
    after_commit(notifications.send_state_mail, request_id=referencing_request.pk)
    return organization


def _parse_datetime(value):
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed or timezone.now()


def referencing_requests_purge_unconfirmed(*, now: datetime.datetime | None = None) -> int:
    """Delete the requests whose sender never confirmed the address before the link expired.

    Nobody can act on them any more (the link is dead and staff never see unconfirmed requests),
    and keeping the name and e-mail of whoever typed them would be keeping personal data without
    a purpose. Returns how many were deleted.
    """
    limit = (now or timezone.now()) - datetime.timedelta(
        days=settings.REFERENCING_CONFIRMATION_DAYS
    )
    expired = ReferencingRequest.objects.unconfirmed().filter(created_at__lt=limit)
    _total, per_model = expired.delete()
    return per_model.get(ReferencingRequest._meta.label, 0)
