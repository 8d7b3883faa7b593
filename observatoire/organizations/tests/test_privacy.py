"""GDPR: a person's data can be exported and erased, by the right people only."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.core.testing import make_person
from observatoire.organizations import services
from observatoire.organizations.models import Affiliation, Consent, Interaction, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(organization):
    person = make_person("Aminata", "Diallo", email="aminata.diallo@example.org")
    Affiliation.objects.create(
        person=person, organization=organization, role="Présidente", is_main_contact=True
    )
    services.consent_record(
        person=person,
        purpose=Consent.Purpose.NEWSLETTER,
        granted=True,
        source=Consent.ConsentSource.FORM,
        wording="J'accepte de recevoir la lettre d'information du réseau.",
    )
    interaction = Interaction.objects.create(
        kind="call", occurred_at=timezone.now(), subject="Projet puits"
    )
    interaction.people.add(person)
    interaction.organizations.add(organization)
    services.person_refresh_search_text(person=person)
    return person


def data_url(person, file_format):
    return reverse("admin:organizations_person_personal_data", args=[person.pk, file_format])


def erase_url(person):
    return reverse("admin:organizations_person_erase", args=[person.pk])


@pytest.mark.parametrize("persona", ["staff", "observatory", "administrator"])
def test_back_office_exports_everything_held_about_a_person(client, request, persona, person):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(data_url(person, "json"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["person"]["last_name"] == "Diallo"
    assert data["emails"][0]["address"] == "aminata.diallo@example.org"
    assert data["affiliations"][0]["role"] == "Présidente"
    assert "lettre d'information" in data["consents"][0]["wording"]
    assert data["interactions"][0]["subject"] == "Projet puits"
    csv_response = client.get(data_url(person, "csv"))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["emails[1]", "address", "aminata.diallo@example.org"] in rows


def test_editors_and_anonymous_cannot_export_a_person(client, editor, person):
    assert client.get(data_url(person, "json")).status_code == 302
    client.force_login(editor)
    assert client.get(data_url(person, "json")).status_code == 302


def test_erasure_anonymises_but_keeps_the_counts(client, staff, person, organization):
    client.force_login(staff)
    assert client.get(erase_url(person)).status_code == 200
    response = client.post(erase_url(person), {"confirm": "yes"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.erased_at is not None
    assert "Diallo" not in str(person)
    assert not person.emails.exists() and not person.consents.exists()
    assert not person.history.filter(last_name="Diallo").exists()
    assert organization.affiliations.count() == 1
    assert Interaction.objects.get().people.count() == 1
    organization.refresh_from_db()
    assert "diallo" not in organization.search_text
    exported = json.loads(client.get(data_url(person, "json")).content)
    assert "Diallo" not in json.dumps(exported)


def test_observatory_cannot_erase(client, observatory, person):
    client.force_login(observatory)
    assert client.post(erase_url(person), {"confirm": "yes"}).status_code == 403
    assert Person.objects.get(pk=person.pk).erased_at is None


def test_erasure_needs_confirmation(client, staff, person):
    client.force_login(staff)
    client.post(erase_url(person), {})
    assert Person.objects.get(pk=person.pk).erased_at is None


def test_privacy_page_is_public(client):
    response = client.get(reverse("core:privacy"))
    assert response.status_code == 200
    assert "RGPD" in response.content.decode() or "GDPR" in response.content.decode()
