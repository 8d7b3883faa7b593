"""Groups: the back office, the public pages and the panels of the records."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_person, make_user
from observatoire.events.models import Event
from observatoire.events.tests.backoffice_factories import make_event, register
from observatoire.groups.models import Group, GroupDocument, GroupMember
from observatoire.organizations.models import Organization
from observatoire.referentials.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    lead = make_user(Role.STAFF, email="camille.roux@example.org", full_name="Camille Roux")
    group = Group.objects.create(
        name="Groupe pays Sénégal",
        slug="senegal",
        kind=Group.Kind.COUNTRY,
        summary="Les acteurs engagés au Sénégal.",
        is_published=True,
        lead=lead,
    )
    group.countries.set(Country.objects.filter(iso2="SN"))
    today = timezone.localdate()
    listed = make_organization("Jumelage Saintes–Fatick", status=Organization.Status.QUALIFIED)
    hidden = make_organization("Association en brouillon", status=Organization.Status.DRAFT)
    gone = make_organization("Partie l'an dernier", status=Organization.Status.QUALIFIED)
    for organization, left in ((listed, None), (hidden, None), (gone, today.replace(day=1))):
        GroupMember.objects.create(
            group=group,
            organization=organization,
            joined_on=today - datetime.timedelta(days=400),
            left_on=left - datetime.timedelta(days=1) if left else None,
        )
    GroupDocument.objects.create(
        group=group, title="Compte rendu public", file=ContentFile(b"x", "cr.pdf"), is_public=True
    )
    GroupDocument.objects.create(
        group=group, title="Notes internes", file=ContentFile(b"x", "notes.pdf")
    )
    return group


def test_the_public_page_shows_only_what_is_public(client, group):
    make_event("Rencontre à venir", kind=Event.Kind.MEETING, group=group, days=20)
    make_event(
        "Brouillon", kind=Event.Kind.MEETING, group=group, days=20, status=Event.Status.DRAFT
    )
    past = make_event("Rencontre passée", kind=Event.Kind.MEETING, group=group, days=-20)
    register(past)
    response = client.get(reverse("groups:detail", args=["senegal"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Groupe pays Sénégal" in html and "Sénégal" in html
    assert "Jumelage Saintes–Fatick" in html
    assert "Association en brouillon" not in html and "Partie l&#x27;an dernier" not in html
    assert "Compte rendu public" in html and "Notes internes" not in html
    assert "Rencontre à venir" in html and "Brouillon" not in html
    # The lead: first name and role, nothing else.
    assert "Camille" in html and "Roux" not in html and "camille.roux@" not in html
    # Counts without personal data.
    assert response.context["years"][0].participants == 1
    assert "Awa" not in html


def test_an_unpublished_group_is_not_found(client, group):
    Group.objects.filter(pk=group.pk).update(is_published=False)
    assert client.get(reverse("groups:detail", args=["senegal"])).status_code == 404
    assert client.get(reverse("groups:detail", args=["inconnu"])).status_code == 404
    assert "Groupe pays Sénégal" not in client.get(reverse("groups:list")).content.decode()


def test_the_list_of_groups_and_its_query_count(client, group, django_assert_max_num_queries):
    for number in range(8):
        Group.objects.create(
            name=f"Groupe thématique {number}",
            slug=f"theme-{number}",
            kind="thematic",
            is_published=True,
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("groups:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Groupe pays Sénégal" in html and "1 structure membre" in html
    assert "Groupes thématiques" in html or "Groupe thématique" in html


@pytest.mark.parametrize("persona", ["administrator", "staff", "observatory"])
def test_the_back_office_reads_groups(client, group, persona, request):
    make_event("Rencontre passée", kind=Event.Kind.MEETING, group=group, days=-20)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("admin:groups_group_changelist")).status_code == 200
    page = client.get(reverse("admin:groups_group_change", args=[group.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rencontre passée" in html and "Jumelage Saintes–Fatick" in html


def test_editors_do_not_reach_groups(client, group, editor):
    client.force_login(editor)
    response = client.get(reverse("admin:groups_group_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_group_list_query_count(client, staff, group, django_assert_max_num_queries):
    for number in range(10):
        Group.objects.create(name=f"Groupe {number}", slug=f"g-{number}", kind="country")
    client.force_login(staff)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("admin:groups_group_changelist")).status_code == 200


def test_staff_add_members_with_dates_and_a_bad_period_is_explained(client, staff, group):
    organization = make_organization("Ville de Niort", kind_slug="commune")
    client.force_login(staff)
    url = reverse("admin:groups_group_change", args=[group.pk])
    members = list(group.members.all())
    data = {
        "name": group.name,
        "slug": group.slug,
        "kind": group.kind,
        "lead": group.lead_id,
        "is_published": "on",
        "summary": group.summary,
        "description": "",
        "countries": [c.pk for c in group.countries.all()],
        "members-TOTAL_FORMS": str(len(members) + 1),
        "members-INITIAL_FORMS": str(len(members)),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
    }
    for index, member in enumerate(members):
        data.update(
            {
                f"members-{index}-id": member.pk,
                f"members-{index}-group": group.pk,
                f"members-{index}-organization": member.organization_id,
                f"members-{index}-status": member.status,
                f"members-{index}-joined_on": member.joined_on.strftime("%d/%m/%Y"),
                f"members-{index}-left_on": member.left_on.strftime("%d/%m/%Y")
                if member.left_on
                else "",
            }
        )
    new = len(members)
    data.update(
        {
            f"members-{new}-group": group.pk,
            f"members-{new}-organization": organization.pk,
            f"members-{new}-status": "observer",
            f"members-{new}-joined_on": "01/03/2026",
            f"members-{new}-left_on": "01/02/2026",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "La date de fin précède la date de début" in response.content.decode()
    assert "01/02/2026" in response.content.decode()  # what was typed is kept
    data[f"members-{new}-left_on"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert group.members.get(organization=organization).status == "observer"


def test_records_show_their_groups_and_events(client, staff, group):
    organization = group.members.first().organization
    person = make_person("Awa", "Traoré")
    GroupMember.objects.create(
        group=group,
        organization=organization,
        person=person,
        joined_on=timezone.localdate(),
    )
    event = make_event("Formation au cadre logique")
    register(event, person=person, organization=organization)
    client.force_login(staff)
    for url in (
        reverse("admin:organizations_organization_change", args=[organization.pk]),
        reverse("admin:organizations_person_change", args=[person.pk]),
    ):
        html = client.get(url).content.decode()
        assert "Groupe pays Sénégal" in html
        assert "Formation au cadre logique" in html


def test_public_documents_download_through_the_application(client, group):
    public = group.documents.get(title="Compte rendu public")
    internal = group.documents.get(title="Notes internes")
    page = client.get(reverse("groups:detail", args=["senegal"])).content.decode()
    url = reverse("groups:document", args=["senegal", public.pk])
    assert url in page

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"x"
    assert "attachment" in response["Content-Disposition"]

    assert client.get(reverse("groups:document", args=["senegal", internal.pk])).status_code == 404
    assert client.get(reverse("groups:document", args=["autre", public.pk])).status_code == 404


def test_documents_of_an_unpublished_group_are_for_the_back_office(client, group, staff):
    group.is_published = False
    group.save()
    internal = group.documents.get(title="Notes internes")
    url = reverse("groups:document", args=["senegal", internal.pk])
    assert client.get(url).status_code == 404

    client.force_login(staff)
    assert client.get(url).status_code == 200
    change = client.get(reverse("admin:groups_group_change", args=[group.pk])).content.decode()
    assert url in change
