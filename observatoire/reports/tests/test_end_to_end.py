"""The report built from real records through the observatory's `collect()`, end to end."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from observatoire.core.testing import make_organization
from observatoire.observatory.tests.conftest import network  # noqa: F401 - the fixture network
from observatoire.organizations.models import Organization
from observatoire.reports import services

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_html_pdf_and_json_from_the_records(client, network, staff, tmp_path):  # noqa: F811
    report = services.report_create(year=YEAR, title="Rapport d'activité")
    services.report_publish(report=report, by=staff)
    html = client.get(reverse("annual_report:public", args=[YEAR]), HTTP_ACCEPT_LANGUAGE="en").text
    # Four organisations listed, two members up to date, one training of four participants.
    assert "<dt>Organisations listed</dt><dd>4</dd>" in html
    assert "<dt>Members up to date</dt><dd>2</dd>" in html
    assert "Écrire un dossier de subvention AFD" in html
    assert "Maison des associations</td>\n      <td>4</td>" in html
    # The definitions come from the observatory.
    assert "Organisations whose membership fee for the year" in html

    output = tmp_path / "report.json"
    call_command(
        "annual_report", year=str(YEAR), format="json", output=str(output), stdout=io.StringIO()
    )
    data = json.loads(output.read_text())
    assert data["organizations"]["listed"] == 4 and data["members"]["up_to_date"] == 2
    assert data["trainings"]["participants"] == 4 and data["calls"]["laureates"] == 0
    assert data["report"]["title"] == "Rapport d'activité" and data["report"]["frozen"]

    pdf = client.get(reverse("annual_report:public_pdf", args=[YEAR])).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Écrire un dossier" in text  # the table cell wraps the rest of the title
    assert "Gironde" in text and "Vienne" in text

    # A record changes after publication: the published report keeps its figures...
    make_organization("Nouvelle structure", status=Organization.Status.QUALIFIED)
    html = client.get(reverse("annual_report:public", args=[YEAR]), HTTP_ACCEPT_LANGUAGE="en").text
    assert "<dt>Organisations listed</dt><dd>4</dd>" in html
    # ...and a new draft counts the new one.
    draft = services.report_create(year=YEAR)
    client.force_login(staff)
    preview = client.get(reverse("reports:view", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en").text
    assert "<dt>Organisations listed</dt><dd>5</dd>" in preview
