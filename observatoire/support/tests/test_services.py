"""Recording sessions and follow-ups: what is kept, and the bad input refused in French."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.core.testing import make_person, make_user
from observatoire.organizations.models import Affiliation
from observatoire.referentials.models import Country, Theme
from observatoire.support import services
from observatoire.support.models import FollowUpAction, SupportSession

from .factories import follow_up, make_session

pytestmark = pytest.mark.django_db


def test_a_session_is_recorded_with_all_it_holds(organization, staff):
    awa = make_person()
    Affiliation.objects.create(person=awa, organization=organization, role="Présidente")
    session = make_session(
        organization,
        staff,
        help_kinds=["project_design", "funding_search"],
        people=[awa],
        themes=[Theme.objects.get(slug="water-sanitation")],
        countries=[Country.objects.get(iso2="BF")],
        summary="Relecture du cadre logique.",
        follow_ups=[follow_up(assignee=staff)],
    )
    session.refresh_from_db()
    assert list(session.staff_members.all()) == [staff]
    assert list(session.people.all()) == [awa]
    assert {k.code for k in session.help_kinds.all()} == {"project_design", "funding_search"}
    assert session.countries.get().iso2 == "BF"
    follow_up_action = session.follow_ups.get()
    assert follow_up_action.assignee == staff and follow_up_action.done_at is None
    assert {record.history_user for record in session.history.all()} == {staff}


def _messages(error: ValidationError) -> str:
    return " ".join(m for messages in error.message_dict.values() for m in messages)


@pytest.mark.parametrize("minutes", [0, -30])
def test_a_duration_of_zero_or_less_is_refused(organization, staff, minutes):
    with pytest.raises(ValidationError) as error:
        make_session(organization, staff, duration_minutes=minutes)
    assert "duration_minutes" in error.value.message_dict
    assert "au moins une minute" in _messages(error.value)
    assert not SupportSession.objects.exists()


def test_a_follow_up_due_before_the_session_is_refused_and_nothing_is_kept(organization, staff):
    with pytest.raises(ValidationError) as error:
        make_session(
            organization,
            staff,
            days_ago=5,
            follow_ups=[follow_up("Rappeler la mairie", due_in_days=-6)],
        )
    assert "avant la séance" in _messages(error.value)
    assert not SupportSession.objects.exists()
    assert not FollowUpAction.objects.exists()


def test_a_follow_up_due_on_the_session_day_is_fine(organization, staff):
    session = make_session(organization, staff, days_ago=0, follow_ups=[follow_up(due_in_days=0)])
    assert session.follow_ups.count() == 1


@pytest.mark.parametrize("role", [Role.ORGANIZATION_EDITOR])
def test_staff_members_must_be_back_office_accounts(organization, role):
    outsider = make_user(role, email="paul@example.org", full_name="Paul Girard")
    with pytest.raises(ValidationError) as error:
        make_session(organization, outsider)
    assert "Paul Girard n’est pas membre de l’équipe" in _messages(error.value)


def test_a_staff_member_who_left_is_refused(organization, staff):
    staff.is_active = False
    staff.save()
    with pytest.raises(ValidationError) as error:
        make_session(organization, staff)
    assert "staff_members" in error.value.message_dict


def test_people_met_must_belong_to_the_organisation(organization, staff):
    stranger = make_person("Jean", "Dupont")
    with pytest.raises(ValidationError) as error:
        make_session(organization, staff, people=[stranger])
    assert "Jean Dupont n’est pas rattaché" in _messages(error.value)


def test_at_least_one_kind_of_help(organization, staff):
    with pytest.raises(ValidationError) as error:
        make_session(organization, staff, help_kinds=[])
    assert "help_kinds" in error.value.message_dict


def test_marking_done_stamps_who_and_when_once_and_reopening_undoes_it(organization, staff):
    session = make_session(organization, staff, follow_ups=[follow_up(assignee=staff)])
    action = session.follow_ups.get()
    assert services.follow_up_mark_done(follow_up=action, by=staff) is True
    action.refresh_from_db()
    first_done_at = action.done_at
    assert first_done_at is not None and action.done_by == staff
    assert services.follow_up_mark_done(follow_up=action, by=staff) is False
    action.refresh_from_db()
    assert action.done_at == first_done_at
    assert services.follow_up_reopen(follow_up=action, by=staff) is True
    action.refresh_from_db()
    assert action.done_at is None and action.done_by is None
    assert action.history.count() == 3


def test_overdue_and_open_querysets(organization, staff):
    today = timezone.localdate()
    session = make_session(
        organization,
        staff,
        days_ago=30,
        follow_ups=[
            follow_up("En retard", due_in_days=-3),
            follow_up("À venir", due_in_days=3),
            follow_up("Fait", due_in_days=-10, done=True),
        ],
    )
    assert set(
        FollowUpAction.objects.overdue(today=today).values_list("description", flat=True)
    ) == {"En retard"}
    assert session.follow_ups.open().count() == 2
    assert session.follow_ups.done().get().description == "Fait"
    assert session.follow_ups.get(description="En retard").is_overdue
    assert not session.follow_ups.get(description="Fait").is_overdue
    assert (
        today - datetime.timedelta(days=3) == session.follow_ups.get(description="En retard").due_on
    )


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("administrator", True, True),
        ("staff", True, True),
        ("observatory", True, False),
        ("editor", False, False),
    ],
)
def test_access_to_follow_ups_by_role(request, persona, read, write, organization, staff):
    from django.core.exceptions import PermissionDenied

    from observatoire.support.access import access_follow_up

    action = make_session(organization, staff, follow_ups=[follow_up()]).follow_ups.get()
    user = request.getfixturevalue(persona)
    for wanted, allowed in ((False, read), (True, write)):
        if allowed:
            assert access_follow_up(user, action.pk, write=wanted) == action
        else:
            with pytest.raises(PermissionDenied):
                access_follow_up(user, action.pk, write=wanted)
