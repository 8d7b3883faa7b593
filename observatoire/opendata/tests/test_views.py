"""The public open-data page, the downloads and the staff's regeneration, per persona."""

import pytest
from django.urls import reverse

from observatoire.opendata.services import open_data_publish

pytestmark = pytest.mark.django_db

INDEX = reverse("opendata:index")
REGENERATE = reverse("opendata:regenerate")


def test_page_says_when_no_file_was_generated(client):
    response = client.get(INDEX)
    assert response.status_code == 200
    assert "Aucun fichier n’a encore été généré" in response.content.decode()


def test_anonymous_sees_the_files_licence_and_date_without_personal_data(client, register):
    open_data_publish()
    response = client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fichiers générés le" in html
    assert "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" in html
    for name in ("organisations.csv", "projects-iati.xml", "datapackage.json"):
        assert reverse("opendata:file", args=[name]) in html
    assert "Discret" not in html and "@eauvive.example" not in html
    assert REGENERATE not in html  # no button for the public


def test_download_serves_a_published_file_only(client, register):
    open_data_publish()
    response = client.get(reverse("opendata:file", args=["organisations.csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "Association Eau Vive Charente" in body
    assert "Discret" not in body
    for name in ("manifest.json", "secret.csv", "..%2Fmanifest.json"):
        assert client.get(reverse("opendata:index") + "fichiers/" + name).status_code == 404


def test_staff_see_the_button_and_regenerate(
    client, staff, register, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    assert REGENERATE in client.get(INDEX).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGENERATE)
    assert response.status_code == 302
    assert "Fichiers générés le" in client.get(INDEX).content.decode()


def test_regeneration_is_refused_to_others(client, editor):
    assert client.post(REGENERATE).status_code == 302  # to the login page
    client.force_login(editor)
    assert client.post(REGENERATE).status_code == 403
    assert client.get(REGENERATE).status_code == 405


def test_the_page_reads_the_manifest_not_the_register(client, register, django_assert_num_queries):
    open_data_publish()
    with django_assert_num_queries(0):
        assert client.get(INDEX).status_code == 200
        assert client.get(reverse("opendata:file", args=["events.csv"])).status_code == 200
