"""Who a campaign reaches: the contract the campaigns rely on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from observatoire.core.testing import make_organization, make_person
from observatoire.organizations.models import Departement, Organization
from observatoire.referentials.models import Theme

from ..models import MailingList, Subscription
from ..selectors import recipients
from ..services import is_suppressed, suppress
from .factories import consent, contact, make_list, subscribe, water_authority

pytestmark = pytest.mark.django_db


def addresses(lists):
    return sorted(r.address for r in recipients(lists=lists))


def test_static_list_reaches_its_confirmed_subscribers_only():
    letter = make_list()
    subscribe(letter, "Awa.Traore@Example.org")
    subscribe(letter, "pending@example.org", status="pending")
    subscribe(letter, "gone@example.org", status="unsubscribed")
    assert addresses([letter]) == ["awa.traore@example.org"]


def test_an_address_on_several_lists_is_reached_once():
    letter, calls = make_list(), make_list("Appels à projets", purpose="mailings")
    subscribe(letter, "awa@example.org", tracking_allowed=True)
    subscribe(calls, "awa@example.org", tracking_allowed=False)
    subscribe(calls, "jean@example.org", tracking_allowed=True)
    found = {r.address: r for r in recipients(lists=[letter, calls])}
    assert sorted(found) == ["awa@example.org", "jean@example.org"]
    # Measured only where every list the address came through was consented to.
    assert found["awa@example.org"].tracking_allowed is False
    assert found["jean@example.org"].tracking_allowed is True
    assert found["jean@example.org"].subscription_id is not None


def test_suppressed_addresses_are_never_reached():
    letter = make_list()
    subscribe(letter, "awa@example.org")
    subscribe(letter, "jean@example.org")
    suppress(address="JEAN@example.org", reason="hard_bounce", source="test")
    assert is_suppressed(address="jean@EXAMPLE.org")
    assert addresses([letter]) == ["awa@example.org"]


def test_erased_addresses_are_suppressed_as_a_hash():
    suppress(address="awa@example.org", reason="erased", source="test")
    from ..models import Suppression

    assert not Suppression.objects.filter(address__contains="awa").exists()
    assert is_suppressed(address="Awa@example.org")
    letter = make_list()
    subscribe(letter, "awa@example.org")
    assert addresses([letter]) == []


def test_archived_people_and_withdrawn_consents_leave_static_lists():
    letter = make_list()
    archived = make_person("Paul", "Martin", email="paul@example.org")
    archived.archived_at = timezone.now()
    archived.save()
    withdrawn = make_person("Léa", "Durand", email="lea@example.org")
    consent(withdrawn, granted=True, days_ago=10)
    consent(withdrawn, granted=False, days_ago=1)
    subscribe(letter, "paul@example.org", person=archived)
    subscribe(letter, "lea@example.org", person=withdrawn)
    assert addresses([letter]) == []


def dynamic_list(**fields):
    water = Theme.objects.get(slug="water-sanitation")
    gironde = Departement.objects.get(code="33")
    return make_list(
        "Collectivités de Gironde — eau",
        purpose="mailings",
        kind=MailingList.Kind.DYNAMIC,
        filter_query=f"family=local_authority&departement={gironde.pk}&theme={water.pk}",
        **fields,
    )


def test_dynamic_list_reaches_consenting_main_contacts_of_matching_organisations():
    begles = water_authority()
    contact(begles, "Claire", "Moreau", "claire@begles.fr", main=True, purposes=["mailings"])
    contact(begles, "Hugo", "Petit", "hugo@begles.fr", purposes=["mailings"])
    contact(water_authority("Commune de Pessac"), "Ines", "Roux", "ines@pessac.fr", main=True)
    poitiers = water_authority("Ville de Poitiers", departement_code="86")
    contact(poitiers, "Marc", "Blanc", "marc@poitiers.fr", main=True, purposes=["mailings"])
    association = make_organization(
        "Eau Vive Gironde", departement=Departement.objects.get(code="33")
    )
    contact(association, "Nina", "Fabre", "nina@eauvive.org", main=True, purposes=["mailings"])

    main_only = dynamic_list()
    found = list(recipients(lists=[main_only]))
    # Pessac's contact consented to the newsletter, not to mailings.
    assert [r.address for r in found] == ["claire@begles.fr"]
    assert found[0].organization_name == "Commune de Bègles"
    assert found[0].subscription_id is None
    assert found[0].person_id is not None

    main_only.reach = MailingList.Reach.ALL_CONTACTS
    assert addresses([main_only]) == ["claire@begles.fr", "hugo@begles.fr"]


def test_latest_consent_wins_and_main_address_is_used():
    begles = water_authority()
    person = contact(begles, "Claire", "Moreau", "claire@begles.fr", main=True, purposes=[])
    from observatoire.organizations.services import person_add_email

    person_add_email(person=person, address="c.moreau@perso.example")
    consent(person, "mailings", granted=False, days_ago=5)
    consent(person, "mailings", granted=True, days_ago=1)
    assert addresses([dynamic_list()]) == ["claire@begles.fr"]
    consent(person, "mailings", granted=False)
    assert addresses([dynamic_list(slug="autre")]) == []


def test_one_address_shared_by_a_subscriber_and_two_people_is_reached_once():
    begles = water_authority()
    contact(begles, "Claire", "Moreau", "accueil@begles.fr", main=True, purposes=["mailings"])
    pessac = water_authority("Commune de Pessac")
    contact(pessac, "Ines", "Roux", "accueil@begles.fr", main=True, purposes=["mailings"])
    calls = make_list("Appels à projets", purpose="mailings")
    subscribe(calls, "accueil@begles.fr")
    found = list(recipients(lists=[calls, dynamic_list()]))
    assert [r.address for r in found] == ["accueil@begles.fr"]
    assert found[0].subscription_id is not None


def test_erased_people_are_not_reached_through_dynamic_lists():
    begles = water_authority()
    person = contact(
        begles, "Claire", "Moreau", "claire@begles.fr", main=True, purposes=["mailings"]
    )
    from observatoire.organizations.privacy import person_erase

    person_erase(person=person)
    assert addresses([dynamic_list()]) == []
    assert is_suppressed(address="claire@begles.fr")


def test_thousands_of_recipients_are_streamed_in_a_bounded_number_of_queries():
    letter = make_list()
    now = timezone.now()
    Subscription.objects.bulk_create(
        Subscription(
            mailing_list=letter,
            address=f"abonne{i:05d}@example.org",
            status=Subscription.Status.CONFIRMED,
            source=Subscription.Source.IMPORT,
            consent_wording="oui",
            consented_at=now,
        )
        for i in range(5200)
    )
    # A dynamic list of 300 organisations with a consenting main contact each.
    from observatoire.organizations.models import Affiliation, Consent, Person, PersonEmail
    from observatoire.referentials.models import OrganizationKind

    kind = OrganizationKind.objects.get(slug="commune")
    gironde = Departement.objects.get(code="33")
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Commune {i}", kind=kind, departement=gironde) for i in range(300)
    )
    water = Theme.objects.get(slug="water-sanitation")
    Organization.themes.through.objects.bulk_create(
        Organization.themes.through(organization_id=o.pk, theme_id=water.pk) for o in organizations
    )
    people = Person.objects.bulk_create(
        Person(first_name="Élu", last_name=str(i)) for i in range(300)
    )
    PersonEmail.objects.bulk_create(
        PersonEmail(person=p, address=f"elu{p.pk}@mairie.example", is_primary=True) for p in people
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=p, organization=o, is_main_contact=True)
        for p, o in zip(people, organizations, strict=True)
    )
    Consent.objects.bulk_create(
        Consent(
            person=p, purpose="mailings", granted=True, given_at=now, source="form", wording="oui"
        )
        for p in people
    )
    with CaptureQueriesContext(connection) as context:
        count = sum(1 for _ in recipients(lists=[letter, dynamic_list()]))
    assert count == 5500
    assert len(context.captured_queries) <= 12
