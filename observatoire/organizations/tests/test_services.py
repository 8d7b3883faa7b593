import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from observatoire.core.testing import make_organization, make_person, make_user
from observatoire.organizations import selectors, services
from observatoire.organizations.models import (
    Affiliation,
    Consent,
    Membership,
    Organization,
    SavedSearch,
)
from observatoire.referentials.models import College, Commune

pytestmark = pytest.mark.django_db


def test_commune_gives_departement_region_and_coordinates():
    bordeaux = Commune.objects.get(insee_code="33063")
    organization = make_organization(commune=bordeaux)
    assert organization.departement.code == "33"
    assert organization.region.name == "Nouvelle-Aquitaine"
    assert organization.latitude == bordeaux.latitude
    assert organization.postal_code in bordeaux.postal_code_list


def test_coordinates_set_by_hand_survive_a_change_of_commune():
    organization = make_organization(
        commune=Commune.objects.get(insee_code="33063"),
        latitude=Decimal("44.800000"),
        longitude=Decimal("-0.600000"),
        coordinates_overridden=True,
    )
    organization.commune = Commune.objects.get(insee_code="86194")
    services.organization_save(organization=organization)
    organization.refresh_from_db()
    assert organization.departement.code == "86"
    assert organization.latitude == Decimal("44.800000")


def test_invalid_identifier_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError) as error:
        make_organization(siren="732829321")
    assert "siren" in error.value.message_dict
    assert not Organization.objects.exists()


def test_over_long_name_is_refused():
    with pytest.raises(ValidationError) as error:
        make_organization("x" * 300)
    assert "name" in error.value.message_dict


def test_every_change_is_recorded_with_its_author_and_values():
    staff = make_user("staff")
    organization = make_organization()
    organization.name = "Eau Vive Charente"
    services.organization_save(organization=organization, changed_by=staff)
    latest, first = organization.history.all()[:2]
    assert latest.history_user == staff
    delta = latest.diff_against(first)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("name", "Association Eau Vive Charente", "Eau Vive Charente")
    ]


def test_archiving_hides_then_restoring_gives_back_the_status():
    organization = make_organization(status=Organization.Status.QUALIFIED)
    services.organization_archive(organization=organization)
    assert not Organization.objects.not_archived().filter(pk=organization.pk).exists()
    services.organization_restore(organization=organization)
    organization.refresh_from_db()
    assert organization.status == Organization.Status.QUALIFIED
    assert organization.archived_at is None
    assert organization.history.count() == 3


def test_search_finds_names_without_accents_acronyms_towns_identifiers_and_contacts():
    organization = make_organization(
        "Solidarité Gironde–Burkina",
        acronym="SGB",
        siren="732829320",
        commune=Commune.objects.get(insee_code="33063"),
    )
    make_organization("Autre structure")
    person = make_person("Aïssata", "Ouédraogo", email="aissata@example.org")
    Affiliation.objects.create(person=person, organization=organization, is_main_contact=True)
    services.person_refresh_search_text(person=person)
    for term in ("solidarite", "SOLIDARITÉ gironde", "sgb", "732829320", "bordeaux", "ouedraogo"):
        found = selectors.organization_search(Organization.objects.all(), term)
        assert list(found) == [organization], term


def test_search_of_people_by_email():
    person = make_person("Jean", "Dupont", email="jean.dupont@example.org")
    make_person("Marie", "Curie")
    found = selectors.person_search(person.__class__.objects.all(), "jean.dupont@example")
    assert list(found) == [person]


def test_one_main_contact_per_organization():
    organization = make_organization()
    first, second = make_person("Un", "Contact"), make_person("Deux", "Contact")
    Affiliation.objects.create(person=first, organization=organization, is_main_contact=True)
    with pytest.raises(IntegrityError):
        Affiliation.objects.create(person=second, organization=organization, is_main_contact=True)


def test_member_up_to_date_on_31_december_is_derived_from_the_payment_date():
    college = College.objects.get(slug="associations")
    on_time, late, unpaid = (make_organization(f"Org {i}") for i in range(3))
    Membership.objects.create(
        organization=on_time, year=2025, college=college, paid_on=datetime.date(2025, 3, 1)
    )
    Membership.objects.create(
        organization=late, year=2025, college=college, paid_on=datetime.date(2026, 1, 15)
    )
    Membership.objects.create(organization=unpaid, year=2025, college=college)
    assert list(Organization.objects.members_up_to_date(2025)) == [on_time]
    assert set(Organization.objects.members(2025)) == {on_time, late, unpaid}
    params = {"member_year": "2025", "membership": "unpaid"}
    assert set(selectors.organization_filter(Organization.objects.all(), params)) == {late, unpaid}


def test_latest_consent_wins_and_withdrawals_count():
    person = make_person()
    services.consent_record(
        person=person,
        purpose=Consent.Purpose.NEWSLETTER,
        granted=True,
        source=Consent.ConsentSource.FORM,
        wording="J'accepte de recevoir la lettre d'information.",
        given_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
    )
    assert list(selectors.people_consenting(purpose="newsletter")) == [person]
    services.consent_record(
        person=person,
        purpose=Consent.Purpose.NEWSLETTER,
        granted=False,
        source=Consent.ConsentSource.EMAIL,
        wording="Désinscription par e-mail.",
        given_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
    )
    assert not selectors.people_consenting(purpose="newsletter").exists()
    assert person.consents.count() == 2


def test_consent_needs_its_wording_and_source():
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            person=make_person(), purpose="newsletter", granted=True, source="", wording=""
        )
    assert {"source", "wording"} <= set(error.value.message_dict)


def test_saved_search_is_reevaluated_with_the_same_filters_as_the_back_office():
    staff = make_user("staff")
    gironde = Commune.objects.get(insee_code="33063")
    in_gironde = make_organization("Ville de Bordeaux", kind_slug="commune", commune=gironde)
    make_organization(
        "Ville de Poitiers", kind_slug="commune", commune=Commune.objects.get(insee_code="86194")
    )
    saved = SavedSearch.objects.create(
        name="Collectivités de Gironde",
        target=SavedSearch.Target.ORGANIZATIONS,
        query_string=f"family=local_authority&departement={gironde.departement_id}",
        owner=staff,
    )
    assert list(selectors.saved_search_queryset(saved)) == [in_gironde]
    later = make_organization("Bordeaux Métropole", kind_slug="epci", commune=gironde)
    assert set(selectors.saved_search_queryset(saved)) == {in_gironde, later}


def test_unknown_filter_values_give_an_empty_list_not_an_error():
    make_organization()
    for params in ({"theme": "abc"}, {"status": "nope"}, {"member_year": "x"}, {"sdg": "99999"}):
        assert not selectors.organization_filter(Organization.objects.all(), params).exists()


def test_search_matches_parts_of_words_and_short_terms():
    organization = make_organization(
        "Solidarité Gironde–Burkina", commune=Commune.objects.get(insee_code="33063")
    )
    for term in ("ronde", "33", "so bu", "Solidarité Gironde–Burkina"):
        found = selectors.organization_search(Organization.objects.all(), term)
        assert list(found) == [organization], term
    assert not selectors.organization_search(Organization.objects.all(), "burkinabe").exists()


def test_search_follows_renames():
    organization = make_organization("Ancien nom de l'association")
    organization.name = "Nouvelle appellation"
    services.organization_save(organization=organization)
    assert not selectors.organization_search(Organization.objects.all(), "ancien").exists()
    assert selectors.organization_search(Organization.objects.all(), "appellation").exists()


@pytest.mark.django_db
def test_a_qualified_organisation_gets_a_public_address_that_then_never_changes():
    from observatoire.organizations.models import Organization

    draft = make_organization("Tamadi Limousin", status=Organization.Status.DRAFT)
    assert draft.slug == ""  # not listed: no public address yet

    draft.status = Organization.Status.QUALIFIED
    draft.save(update_fields=["status"])
    draft.refresh_from_db()
    assert draft.slug == "tamadi-limousin"

    namesake = make_organization("Tamadi  Limousin", status=Organization.Status.QUALIFIED)
    assert namesake.slug == "tamadi-limousin-2"

    draft.name = "Tamadi Nouvelle-Aquitaine"
    draft.save()
    draft.refresh_from_db()
    assert draft.slug == "tamadi-limousin"
