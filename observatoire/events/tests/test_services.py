import datetime

import pytest
from django.utils import timezone

from observatoire.core.testing import make_organization
from observatoire.events import services
from observatoire.events.models import Event, Registration
from observatoire.events.services import RegistrationRefused, registration_cancel
from observatoire.organizations.models import Membership

from .factories import make_event, make_person


def register(event, person, **kwargs):
    return services.registration_create(
        event=event, person=person, email=person.emails.first().address, **kwargs
    )


@pytest.mark.django_db
def test_a_free_place_confirms_then_the_waiting_list_takes_over():
    event = make_event(capacity=1)
    first = register(event, make_person("Awa"))
    second = register(event, make_person("Moussa"))

    assert first.status == Registration.Status.CONFIRMED
    assert first.confirmed_at is not None
    assert second.status == Registration.Status.WAITING
    assert services.event_places_left(event) == 0


@pytest.mark.django_db
def test_cancelling_gives_the_place_to_the_first_waiting_once():
    event = make_event(capacity=1)
    first = register(event, make_person("Awa"))
    second = register(event, make_person("Moussa"))
    third = register(event, make_person("Fatou"))

    registration_cancel(first)
    registration_cancel(first)  # a second click changes nothing

    second.refresh_from_db()
    third.refresh_from_db()
    first.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert second.status == Registration.Status.CONFIRMED
    assert third.status == Registration.Status.WAITING
    assert services.event_places_left(event) == 0


@pytest.mark.django_db
def test_cancelling_a_waiting_registration_promotes_nobody():
    event = make_event(capacity=1)
    register(event, make_person("Awa"))
    waiting = register(event, make_person("Moussa"))
    other = register(event, make_person("Fatou"))

    registration_cancel(waiting)

    other.refresh_from_db()
    assert other.status == Registration.Status.WAITING


@pytest.mark.django_db
def test_no_capacity_means_no_limit():
    event = make_event()
    assert services.event_places_left(event) is None
    for name in ("Awa", "Moussa", "Fatou"):
        assert register(event, make_person(name)).status == Registration.Status.CONFIRMED


def _refusal(event, person, **kwargs) -> RegistrationRefused:
    with pytest.raises(RegistrationRefused) as caught:
        register(event, person, **kwargs)
    return caught.value


@pytest.mark.django_db
def test_registering_twice_is_refused_even_by_staff():
    event = make_event()
    person = make_person()
    register(event, person)

    refusal = _refusal(event, person)
    assert refusal.code == "already_registered"
    assert "déjà inscrit" in refusal.messages[0]
    assert _refusal(event, person, enforce_rules=False).code == "already_registered"
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_after_cancelling_one_may_register_again():
    event = make_event()
    person = make_person()
    registration_cancel(register(event, person))
    assert register(event, person).status == Registration.Status.CONFIRMED


@pytest.mark.django_db
def test_full_without_waiting_list_is_refused_but_staff_may_add():
    event = make_event(capacity=1, waiting_list=False)
    register(event, make_person("Awa"))

    refusal = _refusal(event, make_person("Moussa"))
    assert refusal.code == "full"
    assert "complet" in refusal.messages[0]
    staff_added = register(
        event, make_person("Fatou"), enforce_rules=False, source=Registration.Source.STAFF
    )
    assert staff_added.status == Registration.Status.CONFIRMED


@pytest.mark.django_db
def test_deadline_past_and_closed_events_are_refused():
    past_deadline = make_event(
        "deadline", registration_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    refusal = _refusal(past_deadline, make_person("Awa"))
    assert refusal.code == "deadline_passed"
    assert "(heure de Paris)" in refusal.messages[0]

    past = make_event("passe", starts_in=datetime.timedelta(days=-3))
    assert _refusal(past, make_person("Moussa")).code == "event_past"
    # Staff enter the attendees of a past event.
    assert register(past, make_person("Fatou"), enforce_rules=False)

    draft = make_event("brouillon", status=Event.Status.DRAFT)
    assert _refusal(draft, make_person("Ibrahima")).code == "event_not_open"
    cancelled = make_event("annule", status=Event.Status.CANCELLED)
    assert _refusal(cancelled, make_person("Aminata"), enforce_rules=False).code == (
        "event_not_open"
    )


@pytest.mark.django_db
def test_members_only_needs_an_up_to_date_membership():
    event = make_event(registration_rule=Event.RegistrationRule.MEMBERS)
    organization = make_organization()
    refusal = _refusal(event, make_person("Awa"), organization=organization)
    assert refusal.code == "members_only"
    assert _refusal(event, make_person("Moussa")).code == "members_only"

    year = timezone.localdate().year
    Membership.objects.create(
        organization=organization,
        year=year,
        college=_college(),
        paid_on=datetime.date(year, 1, 15),
    )
    assert register(event, make_person("Fatou"), organization=organization)


def _college():
    from observatoire.referentials.models import College

    return College.objects.first()


@pytest.mark.django_db
def test_invitation_only_needs_the_link_made_for_that_address():
    event = make_event(registration_rule=Event.RegistrationRule.INVITATION)
    awa = make_person("Awa")
    assert _refusal(event, awa).code == "invitation_only"
    for_someone_else = services.invitation_token(event, "moussa@example.org")
    assert _refusal(event, awa, invitation=for_someone_else).code == "invitation_only"
    other_event = make_event("autre")
    assert _refusal(
        event, awa, invitation=services.invitation_token(other_event, "awa@example.org")
    ).code == ("invitation_only")

    url = services.invitation_url(event, "Awa@Example.org")
    token = url.split("invitation=")[1]
    assert url.startswith("http")
    assert services.invitation_email(event, token) == "awa@example.org"
    assert register(event, awa, invitation=token).status == Registration.Status.CONFIRMED


@pytest.mark.django_db
def test_an_organisation_is_a_member_with_its_fee_paid_for_this_year_or_the_last():
    from observatoire.referentials.models import College

    def member(name, year, paid_on):
        organization = make_organization(name)
        Membership.objects.create(
            organization=organization, year=year, college=College.objects.first(), paid_on=paid_on
        )
        return organization

    on = datetime.date(2026, 3, 1)
    this_year = member("Association de l'année", 2026, datetime.date(2026, 1, 10))
    last_year = member("Association de l'an passé", 2025, datetime.date(2025, 6, 1))
    too_old = member("Association d'avant", 2024, datetime.date(2024, 6, 1))
    unpaid = member("Association impayée", 2026, None)
    paid_late = member("Association en retard", 2025, datetime.date(2026, 2, 1))
    # Another organisation's paid membership says nothing of this one.
    stranger = make_organization("Association sans adhésion")

    assert services.organization_is_member(this_year, on=on)
    assert services.organization_is_member(last_year, on=on)
    assert not services.organization_is_member(too_old, on=on)
    assert not services.organization_is_member(unpaid, on=on)
    assert not services.organization_is_member(paid_late, on=on)
    assert not services.organization_is_member(stranger, on=on)
    assert not services.organization_is_member(None, on=on)
