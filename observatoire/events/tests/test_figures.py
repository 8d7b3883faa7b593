"""Figures of events: every count of people goes through participations()."""

import datetime

import pytest
from django.utils import timezone

from observatoire.core.testing import make_organization
from observatoire.events import figures
from observatoire.events.models import Event, Registration
from observatoire.groups.models import Group
from observatoire.organizations.models import Membership
from observatoire.referentials.models import College, Commune, Country, OrganizationKind

from .backoffice_factories import make_event, mark, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizations():
    bordeaux = Commune.objects.get(insee_code="33063")
    poitiers = Commune.objects.get(insee_code="86194")
    return {
        "association": make_organization("Eau Vive Gironde", commune=bordeaux),
        "commune": make_organization("Ville de Poitiers", kind_slug="commune", commune=poitiers),
    }


def test_an_event_is_broken_down_by_kind_college_departement_and_country(organizations):
    event = make_event()
    association, commune = organizations["association"], organizations["commune"]
    came = register(event, "Awa", organization=association)
    came_too = register(event, "Jean", "Martin", organization=commune)
    partner = register(event, "Mamadou", "Ndiaye", country=Country.objects.get(iso2="SN"))
    no_show = register(event, "Paul", "Girard", organization=association)
    register(event, "Léa", "Petit", status=Registration.Status.WAITING)
    register(event, "Hugo", "Bernard", status=Registration.Status.CANCELLED)
    for registration in (came, came_too, partner):
        mark(registration)
    mark(no_show, present=False)
    # The association's membership of the year puts it in another college than its kind's.
    other_college = College.objects.exclude(
        pk__in=[association.kind.default_college_id, commune.kind.default_college_id]
    ).first()
    Membership.objects.create(
        organization=association,
        year=timezone.localtime(event.sittings.first().starts_at).year,
        college=other_college,
        paid_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    result = figures.event_figures(event)

    assert (result.confirmed, result.waiting, result.cancelled) == (4, 1, 1)
    assert result.participants == 3
    assert result.no_shows == 1
    assert {(row.label, row.count) for row in result.by_kind} == {
        (OrganizationKind.objects.get(slug="association").name, 1),
        (OrganizationKind.objects.get(slug="commune").name, 1),
        ("Aucune structure indiquée", 1),
    }
    colleges = {row.pk: row.count for row in result.by_college}
    assert colleges[other_college.pk] == 1
    assert colleges[commune.kind.default_college_id] == 1
    assert colleges[None] == 1
    assert {(row.label, row.count) for row in result.by_departement} == {
        ("33 Gironde", 1),
        ("86 Vienne", 1),
        ("Département inconnu", 1),
    }
    assert [(row.label, row.count) for row in result.foreign_by_country] == [("Sénégal", 1)]


def test_france_is_not_foreign():
    event = make_event()
    register(event, country=Country.objects.get(iso2="FR"))
    register(event, "Hery", "Rakoto", country=Country.objects.get(iso2="MG"))
    assert [row.label for row in figures.foreign_participants_by_country(Event.objects.all())] == [
        "Madagascar"
    ]


def test_meetings_and_trainings_of_a_period():
    senegal = Group.objects.create(name="Groupe Sénégal", slug="senegal", kind="country")
    meeting = make_event("Rencontre", kind=Event.Kind.WEBINAR, group=senegal, days=-30)
    assembly = make_event("AG", kind=Event.Kind.GENERAL_ASSEMBLY, days=-60)
    training = make_event("Formation", sittings=3, days=-90)
    public = make_event("Festival", kind=Event.Kind.PUBLIC_EVENT, days=-20)
    cancelled = make_event("Annulée", kind=Event.Kind.MEETING, status=Event.Status.CANCELLED)
    upcoming = make_event("À venir", kind=Event.Kind.MEETING, days=10)
    long_ago = make_event("Il y a longtemps", kind=Event.Kind.MEETING, days=-500)
    for event, count in (
        (meeting, 3),
        (assembly, 2),
        (training, 4),
        (public, 5),
        (cancelled, 1),
        (upcoming, 1),
        (long_ago, 1),
    ):
        for index in range(count):
            register(event, f"P{index}", event.title)

    data = figures.period_figures(figures.Period.last_twelve_months())

    assert (data.meetings, data.meeting_participants) == (2, 5)
    assert (data.trainings, data.training_participants) == (1, 4)
    assert (data.events, data.participants) == (4, 14)
    by_group = {str(row.group): (row.meetings, row.participants) for row in data.by_group}
    assert by_group == {"Groupe Sénégal": (1, 3), "None": (1, 2)}
    assert [line.sittings for line in data.training_table] == [3]
    assert sum(row.events for row in data.trainings_per_year) == 1


def test_a_year_period_and_its_bounds():
    period = figures.Period.parse("2025")
    assert (period.start, period.end, period.parameter) == (
        datetime.date(2025, 1, 1),
        datetime.date(2025, 12, 31),
        "2025",
    )
    start, end = period.bounds()
    assert str(start.tzinfo) == "Europe/Paris" and end.date() == datetime.date(2026, 1, 1)
    assert figures.Period.parse("n'importe quoi").parameter == "last12"
    assert figures.Period.parse("99999").parameter == "last12"
    leap = figures.Period.last_twelve_months(datetime.date(2028, 2, 29))
    assert leap.start == datetime.date(2027, 3, 1)


def test_group_figures_per_year_count_only_what_was_held():
    group = Group.objects.create(name="Groupe Madagascar", slug="madagascar", kind="country")
    held = make_event("Rencontre", kind=Event.Kind.MEETING, group=group, days=-5)
    register(held)
    register(held, "Hery", "Rakoto")
    register(make_event("Prochaine", kind=Event.Kind.MEETING, group=group, days=5))
    rows = figures.group_figures(group)
    assert [(row.events, row.participants) for row in rows] == [(1, 2)]
