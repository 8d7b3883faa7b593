"""Tokens and writes: staff change the register through the back office's forms and services."""

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from observatoire.core.testing import make_organization, make_user
from observatoire.events.models import Event
from observatoire.organizations.models import Organization, Person
from observatoire.projects.models import Project
from observatoire.referentials.models import OrganizationKind, Theme

from .conftest import token_client

pytestmark = pytest.mark.django_db


# The tokens page ------------------------------------------------------------------------------


def test_staff_create_a_token_shown_once_then_revoke_it(client):
    user = make_user("staff")
    client.force_login(user)
    page = client.post(reverse("api_tokens:list"))
    token = page.context["created"]
    assert token.startswith("obs_") and token in page.content.decode()
    record = AuthToken.objects.get(user=user)
    assert token not in (record.digest, record.token_key)  # only a digest is stored
    again = client.get(reverse("api_tokens:list")).content.decode()
    assert token not in again and record.token_key in again

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/registre/personnes/").status_code == 200
    client.post(reverse("api_tokens:revoke", args=[record.token_key]))
    assert not AuthToken.objects.filter(user=user).exists()
    assert api.get("/api/v1/registre/personnes/").status_code == 401


def test_only_back_office_roles_reach_the_tokens_page(client):
    client.force_login(make_user("organization_editor", organization=make_organization()))
    assert client.post(reverse("api_tokens:list")).status_code == 403
    assert not AuthToken.objects.exists()
    client.logout()
    assert client.get(reverse("api_tokens:list")).status_code == 302  # to the login page


def test_one_cannot_revoke_the_token_of_someone_else(client):
    other, _token = AuthToken.objects.create(user=make_user("administrator"))
    client.force_login(make_user("staff"))
    assert client.post(reverse("api_tokens:revoke", args=[other.token_key])).status_code == 404
    assert AuthToken.objects.filter(pk=other.pk).exists()


# Who may write ------------------------------------------------------------------------------


def test_anonymous_writes_and_staff_reads_are_refused_with_401(api):
    response = api.post("/api/v1/registre/organisations/", {"name": "X"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert api.get("/api/v1/registre/personnes/").status_code == 401
    assert api.post("/api/v1/organisations/", {}, format="json").status_code == 401


def test_an_organisation_editor_token_may_not_write(db):
    editor, _user = token_client("organization_editor", organization=make_organization())
    response = editor.post("/api/v1/registre/organisations/", {"name": "X"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert editor.get("/api/v1/registre/personnes/").status_code == 403


def test_the_observatory_reads_the_register_but_does_not_write(db):
    observatory, _user = token_client("observatory")
    person = Person.objects.create(first_name="Awa", last_name="Traoré")
    listed = observatory.get("/api/v1/registre/personnes/").json()["results"]
    assert [p["id"] for p in listed] == [person.pk]
    response = observatory.patch(
        f"/api/v1/registre/personnes/{person.pk}/", {"job_title": "X"}, format="json"
    )
    assert response.status_code == 403


# Writes through the forms and services ------------------------------------------------------


def test_staff_create_an_organisation_and_the_history_records_it(staff_api):
    client, user = staff_api
    kind = OrganizationKind.objects.get(slug="association")
    theme = Theme.objects.get(slug="education")
    response = client.post(
        "/api/v1/registre/organisations/",
        {
            "name": "Solidarité Limousin Togo",
            "kind": kind.pk,
            "themes": [theme.pk],
            "status": "draft",
            "visibility_description": "members",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    organization = Organization.objects.get(pk=response.json()["id"])
    assert list(organization.themes.all()) == [theme]
    assert organization.field_visibility == {"description": "members"}
    assert organization.search_text  # derived by the service, as with the form
    history = organization.history.latest()
    assert history.history_user == user


def test_a_patch_changes_only_the_fields_sent(staff_api):
    client, user = staff_api
    organization = make_organization("Eau Vive Charente", description="Forages.")
    organization.themes.set(Theme.objects.filter(slug="education"))
    response = client.patch(
        f"/api/v1/registre/organisations/{organization.pk}/",
        {"acronym": "EVC"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    organization.refresh_from_db()
    assert organization.acronym == "EVC"
    assert organization.description == "Forages."
    assert [t.slug for t in organization.themes.all()] == ["education"]
    assert organization.history.latest().history_user == user


def test_invalid_data_gives_400_with_french_field_messages(staff_api):
    client, _user = staff_api
    response = client.post(
        "/api/v1/registre/organisations/",
        {"name": "", "siren": "123", "website": "pas une adresse"},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "name" in error["fields"] and "siren" in error["fields"]
    assert "Ce champ est obligatoire." in error["fields"]["name"]
    assert not Organization.objects.exists()

    english = client.post(
        "/api/v1/registre/organisations/", {"name": ""}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "This field is required." in english.json()["error"]["fields"]["name"]


def test_unknown_fields_are_refused_rather_than_ignored(staff_api):
    client, _user = staff_api
    person = Person.objects.create(first_name="Awa", last_name="Traoré")
    response = client.patch(
        f"/api/v1/registre/personnes/{person.pk}/", {"salary": 10}, format="json"
    )
    assert response.status_code == 400
    assert "salary" in response.json()["error"]["fields"]


def test_staff_write_people_events_and_projects(staff_api):
    client, user = staff_api
    person = client.post(
        "/api/v1/registre/personnes/",
        {"first_name": "Awa", "last_name": "Traoré", "job_title": "Chargée de mission"},
        format="json",
    )
    assert person.status_code == 201, person.json()
    assert Person.objects.get(pk=person.json()["id"]).history.latest().history_user == user

    event = client.post(
        "/api/v1/registre/evenements/",
        {
            "title": "Formation aux ODD",
            "slug": "formation-aux-odd",
            "kind": "training",
            "status": "draft",
            "registration_rule": "open",
        },
        format="json",
    )
    assert event.status_code == 201, event.json()
    assert Event.objects.get(slug="formation-aux-odd").history.latest().history_user == user

    project = client.post(
        "/api/v1/registre/projets/",
        {"title": "Cantines scolaires à Kara", "phase": "emergence", "currency": "EUR"},
        format="json",
    )
    assert project.status_code == 201, project.json()
    created = Project.objects.get(pk=project.json()["id"])
    assert created.slug == "cantines-scolaires-a-kara"  # given by the service
    assert created.history.latest().history_user == user
    bad = client.patch(
        f"/api/v1/registre/projets/{created.pk}/", {"currency": "euros"}, format="json"
    )
    assert bad.status_code == 400
    assert "currency" in bad.json()["error"]["fields"]


def test_deleting_is_not_offered(staff_api):
    client, _user = staff_api
    person = Person.objects.create(first_name="Awa", last_name="Traoré")
    response = client.delete(f"/api/v1/registre/personnes/{person.pk}/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/registre/organisations/",
        "/api/v1/registre/personnes/",
        "/api/v1/registre/evenements/",
        "/api/v1/registre/projets/",
    ],
)
def test_register_lists_do_a_constant_number_of_queries(
    staff_api, django_assert_max_num_queries, url
):
    client, _user = staff_api
    for number in range(6):
        organization = make_organization(f"Association numéro {number}")
        organization.themes.set(Theme.objects.all()[:2])
        Person.objects.create(first_name="Awa", last_name=f"Traoré {number}")
        Event.objects.create(title=f"Réunion {number}", slug=f"reunion-{number}", kind="meeting")
    with django_assert_max_num_queries(15) as small:
        assert client.get(f"{url}?page_size=2").status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"{url}?page_size=100").status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {"themes": [{"id": 1}]},
        {"themes": "education"},
        {"name": {"fr": "X"}},
        {"latitude": "nord"},
        {"kind": [1, 2]},
    ],
)
def test_malformed_values_are_400_not_500(staff_api, payload):
    client, _user = staff_api
    organization = make_organization("Eau Vive Charente")
    response = client.patch(
        f"/api/v1/registre/organisations/{organization.pk}/", payload, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == set(payload)


def test_a_list_instead_of_an_object_is_refused(staff_api):
    client, _user = staff_api
    response = client.post("/api/v1/registre/personnes/", [1, 2], format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Envoyez un objet JSON."
