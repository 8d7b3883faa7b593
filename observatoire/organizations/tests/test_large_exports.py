"""Exports past EXPORT_SYNC_LIMIT are built by the worker and sent as a link."""

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from observatoire.core.testing import make_organization, make_user
from observatoire.organizations.models import RegisterExport

pytestmark = pytest.mark.django_db


def test_a_long_list_is_exported_in_the_background_and_mailed(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_LIMIT = 2
    for i in range(3):
        make_organization(f"Association {i}")
    make_organization("Ville de Niort", kind_slug="commune")
    client.force_login(staff)
    url = reverse("admin:organizations_organization_export", args=["csv"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, {"family": "association"})
    assert response.status_code == 302
    export = RegisterExport.objects.get()
    assert (export.state, export.row_count, export.owner) == ("ready", 3, staff)
    assert mail.outbox[0].to == [staff.email]
    link = reverse("organizations:export_download", args=[export.pk])
    assert link in mail.outbox[0].body

    download = client.get(link)
    assert download.status_code == 200
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(rows) == 4


def test_only_the_author_downloads_an_export(
    client, staff, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_SYNC_LIMIT = 0
    make_organization()
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("admin:organizations_organization_export", args=["xlsx"]))
    export = RegisterExport.objects.get()
    link = reverse("organizations:export_download", args=[export.pk])
    client.force_login(make_user("staff", email="colleague@personas.test"))
    assert client.get(link).status_code == 403
    client.logout()
    assert client.get(link).status_code == 302
