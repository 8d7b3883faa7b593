"""The public page of an organisation: what it published, for whom, and what never shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.core.testing import make_user
from observatoire.events.tests.factories import make_event
from observatoire.groups.models import Group, GroupMember
from observatoire.organizations.models import (
    Consent,
    InterventionPlace,
    Organization,
    OrganizationRelation,
)
from observatoire.portal import records
from observatoire.projects.models import Project, ProjectPartner
from observatoire.referentials.models import SDG, Country, Need, Theme

from .factories import add_contact, make_listed_organization, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    organization = make_listed_organization(
        acronym="EVC",
        description="Accès à l'eau au Burkina Faso.\n<script>alert(1)</script>",
        website="https://eau-vive.example.org",
        public_email="contact@eau-vive.example.org",
        phone="05 49 00 00 00",
    )
    organization.themes.set(Theme.objects.filter(slug="water-sanitation"))
    organization.sdgs.set(SDG.objects.filter(number__in=[6, 7]))
    organization.countries.set(Country.objects.filter(iso2="BF"))
    organization.needs.set(Need.objects.all()[:1])
    InterventionPlace.objects.create(
        organization=organization, name="Dédougou", country=Country.objects.get(iso2="BF")
    )
    return organization


def _page(client, organization):
    return client.get(reverse("portal:organization", args=[organization.slug]))


def test_anonymous_visitor_sees_what_is_public(client, listed):
    response = _page(client, listed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Association Eau Vive Charente" in html
    assert "(EVC)" in html
    assert "https://eau-vive.example.org" in html
    assert "Accès à l&#x27;eau au Burkina Faso.<br>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Burkina Faso" in html and "Dédougou" in html
    assert "{# map: maps/_mini_map.html #}" not in html
    # SDG tiles: official colour and number.
    colour = SDG.objects.get(number=6).color
    assert f"background-color: {colour}" in html and "ODD 6" in html
    # The phone is for members by default; the public e-mail never shows as text.
    assert "05 49 00 00 00" not in html
    assert "contact@eau-vive.example.org" not in html
    assert reverse("portal:organization_contact", args=[listed.slug]) in html


def test_a_field_marked_for_members_or_staff_is_hidden_from_the_public(client, listed):
    listed.field_visibility = {"description": "members", "website": "staff", "themes": "staff"}
    listed.save()
    html = _page(client, listed).content.decode()
    assert "Accès à l" not in html
    assert "eau-vive.example.org" not in html
    assert "Eau, assainissement" not in html


def test_a_member_sees_members_fields_but_never_staff_ones(client, listed):
    listed.field_visibility = {"description": "members", "website": "staff"}
    listed.save()
    member_organization = make_listed_organization("Comité de jumelage Niort–Atakpamé")
    make_member(member_organization)
    client.force_login(make_user(Role.ORGANIZATION_EDITOR, organization=member_organization))
    html = _page(client, listed).content.decode()
    assert "Accès à l" in html
    assert "05 49 00 00 00" in html
    assert "eau-vive.example.org" not in html


def test_relations_between_organisations_are_for_members(client, listed, staff):
    twin = make_listed_organization("Comité de jumelage Niort–Atakpamé")
    OrganizationRelation.objects.create(source=listed, kind="member_of", target=twin)
    assert "Comité de jumelage" not in _page(client, listed).content.decode()
    client.force_login(staff)
    html = _page(client, listed).content.decode()
    assert reverse("portal:organization", args=[twin.slug]) in html


def test_an_editor_of_a_non_member_organisation_sees_the_public_page(client, listed):
    listed.field_visibility = {"description": "members"}
    listed.save()
    outsider = make_listed_organization("Comité de jumelage Niort–Atakpamé")
    client.force_login(make_user(Role.ORGANIZATION_EDITOR, organization=outsider))
    assert "Accès à l" not in _page(client, listed).content.decode()


def test_staff_see_members_fields_but_not_staff_ones(client, listed, staff):
    listed.field_visibility = {"description": "members", "website": "staff"}
    listed.save()
    client.force_login(staff)
    html = _page(client, listed).content.decode()
    assert "Accès à l" in html
    assert "eau-vive.example.org" not in html


def test_needs_are_never_shown_even_if_marked_public(client, listed, staff):
    need = listed.needs.get()
    listed.field_visibility = {"needs": "public"}
    listed.save()
    client.force_login(staff)
    assert need.name not in _page(client, listed).content.decode()


def test_only_contacts_with_a_directory_consent_appear_without_their_addresses(client, listed):
    add_contact(listed, "Awa", "Traoré", role="Présidente", consent=True, email="awa@example.org")
    add_contact(listed, "Paul", "Martin", role="Trésorier", consent=None)
    add_contact(listed, "Lucie", "Bernard", role="Secrétaire", consent=False)
    html = _page(client, listed).content.decode()
    assert "Awa Traoré — Présidente" in html
    assert "awa@example.org" not in html
    assert "Paul Martin" not in html
    assert "Lucie Bernard" not in html


def test_the_latest_directory_consent_wins(client, listed):
    withdrawn = add_contact(listed, "Paul", "Martin", consent=True)
    regranted = add_contact(listed, "Lucie", "Bernard", consent=False)
    later = timezone.now() + datetime.timedelta(minutes=1)
    for person, granted in ((withdrawn, False), (regranted, True)):
        Consent.objects.create(
            person=person,
            purpose=Consent.Purpose.DIRECTORY,
            granted=granted,
            given_at=later,
            source=Consent.ConsentSource.EMAIL,
            wording="…",
        )
    html = _page(client, listed).content.decode()
    assert "Paul Martin" not in html
    assert "Lucie Bernard" in html


def test_projects_events_and_groups_of_the_organisation_are_listed(client, listed):
    published = Project.objects.create(
        title="Bornes-fontaines à Dédougou", slug="bornes", is_published=True
    )
    draft = Project.objects.create(title="Projet en préparation", slug="brouillon")
    for project in (published, draft):
        ProjectPartner.objects.create(
            project=project, organization=listed, role=ProjectPartner.Role.LEAD
        )
    event = make_event("rencontre-eau", title="Rencontre du groupe eau")
    event.partner_organizers.add(listed)
    make_event("brouillon-evt", title="Événement brouillon", status="draft").partner_organizers.add(
        listed
    )
    group = Group.objects.create(
        name="Groupe Burkina Faso", slug="burkina", kind="country", is_published=True
    )
    hidden = Group.objects.create(name="Groupe interne", slug="interne", kind="thematic")
    for each in (group, hidden):
        GroupMember.objects.create(group=each, organization=listed, joined_on="2020-01-01")
    html = _page(client, listed).content.decode()
    assert reverse("portal:project", args=["bornes"]) in html
    assert "Chef de file" in html
    assert "Projet en préparation" not in html
    assert reverse("events:detail", args=["rencontre-eau"]) in html
    assert "Événement brouillon" not in html
    assert reverse("groups:detail", args=["burkina"]) in html
    assert "Groupe interne" not in html


def test_a_merged_record_redirects_permanently_to_the_survivor(client, listed):
    merged = make_listed_organization("Eau Vive (ancienne fiche)")
    merged.merged_into = listed
    merged.status = Organization.Status.ARCHIVED
    merged.save()
    response = client.get(reverse("portal:organization", args=[merged.slug]))
    assert response.status_code == 301
    assert response["Location"] == reverse("portal:organization", args=[listed.slug])


@pytest.mark.parametrize(
    "status", [Organization.Status.DRAFT, Organization.Status.PENDING, Organization.Status.ARCHIVED]
)
def test_an_unlisted_organisation_has_no_page(client, listed, status):
    Organization.objects.filter(pk=listed.pk).update(status=status)
    assert _page(client, listed).status_code == 404


def test_an_unknown_address_is_not_found(client, db):
    assert client.get("/annuaire/personne-ici/").status_code == 404


def test_the_page_reads_a_bounded_number_of_queries(client, listed, django_assert_max_num_queries):
    for index in range(5):
        add_contact(listed, f"Prénom{index}", "Durand", role="Bénévole", consent=True)
        project = Project.objects.create(
            title=f"Projet {index}", slug=f"p{index}", is_published=True
        )
        ProjectPartner.objects.create(project=project, organization=listed, role="partner")
        make_event(f"evt-{index}", title=f"Réunion {index}").partner_organizers.add(listed)
    with django_assert_max_num_queries(16):  # with its news and its map
        assert _page(client, listed).status_code == 200


def test_the_page_speaks_english_after_the_language_switch(client, listed, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _page(client, listed).content.decode()
    assert "SDG 6" in html and "Countries of intervention" in html


def test_what_the_page_shows_costs_as_many_queries_in_a_larger_register(
    listed, django_assert_max_num_queries
):
    def grow(start: int) -> None:
        """More of everything the page lists, and more organisations and members around it."""
        for index in range(start, start + 4):
            add_contact(listed, f"Prénom{index}", "Durand", consent=True)
            project = Project.objects.create(
                title=f"Projet {index}", slug=f"p{index}", is_published=True
            )
            ProjectPartner.objects.create(project=project, organization=listed, role="partner")
            make_event(f"evt-{index}", title=f"Réunion {index}").partner_organizers.add(listed)
            make_member(make_listed_organization(f"Association voisine {index}"))

    make_member(listed)
    grow(0)
    with django_assert_max_num_queries(16) as small:
        records.organization_page(listed, audience="public")
    count = len(small.captured_queries)
    grow(4)
    with django_assert_max_num_queries(count):
        page = records.organization_page(listed, audience="public")
    assert len(page["contacts"]) == len(page["projects"]) == len(page["events"]) == 8


def test_a_second_visit_is_served_from_the_cache(client, listed, django_assert_max_num_queries):
    add_contact(listed, "Awa", "Traoré", consent=True)
    _page(client, listed)
    with django_assert_max_num_queries(4):  # the organisation, the cache's version and entry
        assert "Traoré" in _page(client, listed).content.decode()


def test_an_edit_shows_at_once_on_the_cached_page(client, listed):
    person = add_contact(listed, "Awa", "Traoré", consent=True)
    assert "Traoré" in _page(client, listed).content.decode()
    person.last_name = "Ouédraogo"
    person.save()
    listed.description = "Une description toute neuve."
    listed.save()
    html = _page(client, listed).content.decode()
    assert "Ouédraogo" in html and "Traoré" not in html
    assert "Une description toute neuve." in html
