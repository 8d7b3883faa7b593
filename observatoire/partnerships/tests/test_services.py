"""Services and selectors: validation, the timeline's order, the same-place watch."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from observatoire.core.testing import make_organization, make_person
from observatoire.organizations.models import InterventionPlace
from observatoire.partnerships import services
from observatoire.partnerships.models import Agreement, Mission, PartnershipContact
from observatoire.partnerships.selectors import cooperations_in_place, partnership_timeline
from observatoire.referentials.models import Country

from .factories import make_foreign_city, make_french_city, make_partnership

pytestmark = pytest.mark.django_db


def test_a_foreign_authority_is_created_lightly_and_never_in_france():
    oujda = make_foreign_city()
    assert (oujda.legal_form, oujda.status, oujda.seat_locality) == (
        "foreign",
        "qualified",
        "Oujda",
    )
    assert oujda.commune_id is None and oujda.latitude == Decimal("34.680000")
    with pytest.raises(ValidationError):
        services.foreign_authority_create(
            name="Ville de Tours", country=Country.objects.get(iso2="FR")
        )


def test_a_partnership_joins_two_different_authorities_once():
    partnership = make_partnership(since_year=2005)
    with pytest.raises(ValidationError):
        services.partnership_create(
            french_authority=partnership.french_authority,
            foreign_authority=partnership.foreign_authority,
        )
    with pytest.raises(ValidationError):
        services.partnership_create(
            french_authority=partnership.french_authority,
            foreign_authority=partnership.french_authority,
        )
    with pytest.raises(ValidationError):
        services.partnership_create(
            french_authority=partnership.foreign_authority,  # the French side abroad
            foreign_authority=make_foreign_city("Commune de Kaya", "BF", "Kaya", 13.08, -1.08),
        )


def test_an_agreement_cannot_end_before_it_starts_and_a_renewal_stays_in_its_partnership():
    partnership = make_partnership()
    with pytest.raises(ValidationError) as error:
        services.agreement_save(
            agreement=Agreement(
                partnership=partnership,
                title="Convention",
                status=Agreement.Status.SIGNED,
                starts_on=datetime.date(2011, 1, 1),
                ends_on=datetime.date(2010, 1, 1),
            )
        )
    assert "ends_on" in error.value.error_dict
    first = services.agreement_save(
        agreement=Agreement(partnership=partnership, title="2005", status="signed")
    )
    renewal = services.agreement_save(
        agreement=Agreement(partnership=partnership, title="2011", status="signed", renews=first)
    )
    assert renewal.status == Agreement.Status.RENEWED
    other = make_partnership(
        foreign=make_foreign_city("Commune de Kaya", "BF", "Kaya", 13.08, -1.08),
        french=partnership.french_authority,
    )
    with pytest.raises(ValidationError):
        services.agreement_save(
            agreement=Agreement(partnership=other, title="x", status="signed", renews=first)
        )


def test_a_mission_cannot_return_before_it_leaves_and_takes_people_or_names():
    partnership = make_partnership()
    mission = Mission(
        partnership=partnership,
        title="Mission",
        direction=Mission.Direction.OUTGOING,
        starts_on=datetime.date(2024, 5, 10),
        ends_on=datetime.date(2024, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        services.mission_save(mission=mission)
    assert "ends_on" in error.value.error_dict
    mission.ends_on = datetime.date(2024, 5, 14)
    person = make_person("Nadia", "Benali")
    services.mission_save(
        mission=mission,
        participants=[{"person": person}, {"name": "Interprète", "role": "interprète"}],
    )
    assert mission.participants.count() == 2
    with pytest.raises(ValidationError):
        services.mission_participant_add(mission=mission, name="  ")


def test_a_contact_may_be_a_new_person_attached_to_their_side():
    partnership = make_partnership()
    contact = services.contact_add(
        partnership=partnership,
        side=PartnershipContact.Side.FOREIGN,
        first_name="Karim",
        last_name="El Idrissi",
        job_title="Vice-président",
    )
    assert contact.person.affiliations.get().organization == partnership.foreign_authority
    with pytest.raises(ValidationError):
        services.contact_add(partnership=partnership, side="french", person=contact.person)


def test_the_timeline_lists_every_dated_event_oldest_first():
    from observatoire.projects.models import Project

    partnership = make_partnership(since_year=2005)
    first = services.agreement_save(
        agreement=Agreement(
            partnership=partnership, title="Convention 2005", status="signed",
            signed_on=datetime.date(2005, 6, 21),
        )
    )  # fmt: skip
    services.agreement_save(
        agreement=Agreement(
            partnership=partnership, title="Convention 2011", status="renewed", renews=first,
            signed_on=datetime.date(2011, 11, 24), starts_on=datetime.date(2012, 1, 1),
            ends_on=datetime.date(2016, 12, 31),
        )
    )  # fmt: skip
    services.agreement_save(
        agreement=Agreement(
            partnership=partnership, title="Charte", status="ended",
            signed_on=datetime.date(2008, 1, 5), ends_on=datetime.date(2014, 3, 1),
        )
    )  # fmt: skip
    for title, day in (("Mission 2016", datetime.date(2016, 4, 11)), ("Annulée", None)):
        services.mission_save(
            mission=Mission(
                partnership=partnership, title=title, direction="incoming",
                status="cancelled" if day is None else "done",
                starts_on=day or datetime.date(2015, 1, 1),
                ends_on=day or datetime.date(2015, 1, 2),
            )
        )  # fmt: skip
    Project.objects.create(
        title="Eau potable", slug="eau-potable", partnership=partnership,
        actual_start=datetime.date(2017, 3, 1), actual_end=datetime.date(2020, 6, 30),
    )  # fmt: skip
    timeline = partnership_timeline(partnership)
    assert [(entry.date.year, entry.kind) for entry in timeline] == [
        (2005, "partnership"),
        (2005, "agreement"),
        (2008, "agreement"),
        (2011, "agreement"),
        (2014, "agreement"),
        (2016, "mission"),
        (2017, "project"),
        (2020, "project"),
    ]
    assert "renewed" in timeline[3].title or "renouvelée" in timeline[3].title
    assert timeline[0].year_only


def test_other_cooperations_in_the_same_town_come_before_the_rest_of_the_country():
    from observatoire.projects.models import Project, ProjectPlace

    oujda = make_foreign_city()
    partnership = make_partnership(foreign=oujda)
    casablanca = make_foreign_city(
        "Commune urbaine de Casablanca", "MA", "Casablanca", 33.53, -7.58
    )
    same_town = make_partnership(french=make_french_city("Ville de Niort", "79191"), foreign=oujda)
    same_country = make_partnership(french=same_town.french_authority, foreign=casablanca)
    in_town = make_organization("Association Oujda Solidaire")
    InterventionPlace.objects.create(organization=in_town, name="Oujda", country=oujda.seat_country)
    in_country = make_organization("Maroc Santé")
    in_country.countries.add(oujda.seat_country)
    make_organization("Eau Vive Sénégal").countries.add(Country.objects.get(iso2="SN"))
    near = Project.objects.create(title="Quartiers Est", slug="quartiers-est")
    ProjectPlace.objects.create(
        project=near, name="Oujda-Angad", country=oujda.seat_country,
        latitude=Decimal("34.70"), longitude=Decimal("-1.90"),
    )  # fmt: skip
    far = Project.objects.create(title="Rabat", slug="rabat")
    far.countries.add(oujda.seat_country)
    own = Project.objects.create(title="Le nôtre", slug="le-notre", partnership=partnership)
    own.countries.add(oujda.seat_country)

    watch = cooperations_in_place(partnership)
    assert watch.town == "Oujda"
    assert watch.partnerships_in_town == [same_town]
    assert watch.partnerships_in_country == [same_country]
    assert watch.organizations_in_town == [in_town]
    assert watch.organizations_in_country == [in_country]
    assert watch.projects_in_town == [near]
    assert watch.projects_in_country == [far]
    # A reader who may see no project sees none of them.
    assert (
        cooperations_in_place(partnership, projects=Project.objects.none()).projects_in_town == []
    )
