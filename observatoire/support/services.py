"""Writes of support sessions and their follow-ups: record, save, mark done, reopen.

The checks live here so the back office, the demo and later the API refuse the same things
with the same French messages.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.accounts.access import is_back_office
from observatoire.organizations.models import Affiliation, Organization, Person
from observatoire.referentials.models import Country, Theme

from .models import FollowUpAction, HelpKind, SupportSession


@dataclass(frozen=True)
class FollowUpSpec:
    description: str
    due_on: datetime.date
    assignee: object = None
    done: bool = False


def follow_up_due_error(*, due_on: datetime.date | None, occurred_on: datetime.date | None):
    """The message when a follow-up falls due before its session, else None."""
    if due_on is None or occurred_on is None or due_on >= occurred_on:
        return None
    return _(
        "The follow-up is due on %(due)s, before the session of %(session)s: "
        "give a due date on or after the session."
    ) % {"due": due_on.strftime("%d/%m/%Y"), "session": occurred_on.strftime("%d/%m/%Y")}


def staff_members_errors(staff_members: Iterable) -> list[str]:
    """Messages for chosen staff members who are not (or no longer) in the back office."""
    return [
        _("%(name)s is not a member of the network's team: choose a back-office account.")
        % {"name": user}
        for user in staff_members
        if not is_back_office(user)
    ]


def people_errors(*, organization: Organization | None, people: Iterable[Person]) -> list[str]:
    """Messages for people met who are not attached to the supported organisation."""
    people = list(people)
    if organization is None or not people:
        return []
    attached = set(
        Affiliation.objects.filter(organization=organization, person__in=people).values_list(
            "person_id", flat=True
        )
    )
    return [
        _(
            "%(person)s is not attached to %(organization)s: add the affiliation on their "
            "record first, or leave them out."
        )
        % {"person": person, "organization": organization.name}
        for person in people
        if person.pk not in attached
    ]


def support_session_check(
    *,
    session: SupportSession,
    staff_members: Iterable,
    people: Iterable[Person],
    help_kinds: Iterable[HelpKind],
    follow_ups: Iterable[FollowUpSpec] = (),
) -> None:
    """Raise a ValidationError by field for everything a session may not hold."""
    errors: dict[str, list[str]] = {}
    try:
        session.full_clean(exclude=["organization"] if session.organization_id is None else None)
    except ValidationError as error:
        errors.update(error.message_dict)
    staff_members = list(staff_members)
    if not staff_members:
        errors.setdefault("staff_members", []).append(_("Name at least one staff member."))
    errors_of_staff = staff_members_errors(staff_members)
    if errors_of_staff:
        errors.setdefault("staff_members", []).extend(errors_of_staff)
    organization = session.organization if session.organization_id else None
    errors_of_people = people_errors(organization=organization, people=people)
    if errors_of_people:
        errors.setdefault("people", []).extend(errors_of_people)
    if not list(help_kinds):
        errors.setdefault("help_kinds", []).append(_("Tick at least one kind of help."))
    for follow_up in follow_ups:
        message = follow_up_due_error(due_on=follow_up.due_on, occurred_on=session.occurred_on)
        if message:
            errors.setdefault("follow_ups", []).append(message)
        if follow_up.assignee is not None and not is_back_office(follow_up.assignee):
            errors.setdefault("follow_ups", []).extend(staff_members_errors([follow_up.assignee]))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def support_session_record(
    *,
    organization: Organization,
    occurred_on: datetime.date,
    duration_minutes: int,
    mode: str,
    subject: str,
    staff_members: Iterable,
    help_kinds: Iterable[str],
    people: Iterable[Person] = (),
    themes: Iterable[Theme] = (),
    countries: Iterable[Country] = (),
    summary: str = "",
    follow_ups: Iterable[FollowUpSpec] = (),
    by=None,
) -> SupportSession:
    """Record a support session with its follow-ups, all or nothing."""
    staff_members, people, follow_ups = list(staff_members), list(people), list(follow_ups)
    kinds = list(HelpKind.objects.filter(code__in=list(help_kinds)))
    session = SupportSession(
        organization=organization,
        occurred_on=occurred_on,
        duration_minutes=duration_minutes,
        mode=mode,
        subject=subject,
        summary=summary,
    )
    support_session_check(
        session=session,
        staff_members=staff_members,
        people=people,
        help_kinds=kinds,
        follow_ups=follow_ups,
    )
    session._history_user = by
    session.save()
    session.staff_members.set(staff_members)
    session.people.set(people)
    session.help_kinds.set(kinds)
    session.themes.set(list(themes))
    session.countries.set(list(countries))
    now = timezone.now()
    for spec in follow_ups:
        follow_up = FollowUpAction(
            session=session,
            description=spec.description,
            due_on=spec.due_on,
            assignee=spec.assignee,
            done_at=now if spec.done else None,
            done_by=by if spec.done else None,
        )
        follow_up.full_clean()
        follow_up._history_user = by
        follow_up.save()
    return session


def support_session_save(*, session: SupportSession, changed_by=None) -> SupportSession:
    """Save a session's own fields as the back-office form changed them (already checked)."""
    session.full_clean()
    session._history_user = changed_by
    session.save()
    return session


def follow_up_save(*, follow_up: FollowUpAction, done: bool, changed_by=None) -> FollowUpAction:
    """Save a follow-up from the session form; ticking "done" stamps who and when, once."""
    if done and follow_up.done_at is None:
        follow_up.done_at = timezone.now()
        follow_up.done_by = changed_by
    elif not done:
        follow_up.done_at = None
        follow_up.done_by = None
    follow_up.full_clean()
    follow_up._history_user = changed_by
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_mark_done(*, follow_up: FollowUpAction, by) -> bool:
    """Mark a follow-up done; False when it already was (a double click changes nothing)."""
    follow_up = FollowUpAction.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_at is not None:
        return False
    follow_up.done_at = timezone.now()
    follow_up.done_by = by
    follow_up._history_user = by
    follow_up.save(update_fields=["done_at", "done_by"])
    return True


@transaction.atomic
def follow_up_reopen(*, follow_up: FollowUpAction, by) -> bool:
    """Undo "done": the follow-up is open again; False when it was not done."""
    follow_up = FollowUpAction.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_at is None:
        return False
    follow_up.done_at = None
    follow_up.done_by = None
    follow_up._history_user = by
    follow_up.save(update_fields=["done_at", "done_by"])
    return True
