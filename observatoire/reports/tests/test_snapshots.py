"""Publishing freezes the figures; the public page, the PDF and the JSON show the frozen ones."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from observatoire.accounts.models import Role
from observatoire.core.testing import make_user
from observatoire.reports import services
from observatoire.reports.models import Snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user(Role.STAFF)


def _listed(client, url) -> str:
    return client.get(url).text


def test_a_published_report_keeps_its_figures_when_records_change(client, staff, fake_observatory):
    fake_observatory.figures["organizations"]["listed"] = 144
    report = services.report_create(year=2025)
    services.report_publish(report=report, by=staff)
    snapshot = Snapshot.objects.get()
    assert snapshot.figures["organizations"]["listed"] == 144 and snapshot.created_by == staff
    # Records change after publication: the observatory now counts 150.
    fake_observatory.figures["organizations"]["listed"] = 150
    public = client.get(reverse("annual_report:public", args=[2025]))
    assert public.status_code == 200
    assert ">144<" in public.text and ">150<" not in public.text
    assert client.get(reverse("annual_report:public", args=[2025])).status_code == 200
    # A new draft shows today's figures.
    draft = services.report_create(year=2025)
    client.force_login(staff)
    preview = client.get(reverse("reports:view", args=[draft.pk])).text
    assert ">150<" in preview
    json = client.get(reverse("reports:json", args=[report.pk])).json()
    assert json["organizations"]["listed"] == 144


def test_staff_take_a_new_snapshot_for_a_draft(client, staff, fake_observatory):
    report = services.report_create(year=2025)
    client.force_login(staff)
    client.post(reverse("reports:snapshot", args=[report.pk]))
    report.refresh_from_db()
    first = report.snapshot
    assert first is not None and first.figures["support"]["sessions"] == 47
    fake_observatory.figures["support"]["sessions"] = 50
    assert ">47<" in client.get(reverse("reports:view", args=[report.pk])).text
    client.post(reverse("reports:snapshot", args=[report.pk]))
    report.refresh_from_db()
    assert report.snapshot != first and report.snapshot.figures["support"]["sessions"] == 50
    # Publishing keeps the snapshot staff reviewed.
    services.report_publish(report=report, by=staff)
    report.refresh_from_db()
    assert report.snapshot.figures["support"]["sessions"] == 50
    assert Snapshot.objects.count() == 2


def test_one_published_report_per_year(staff, fake_observatory):
    services.report_publish(report=services.report_create(year=2025), by=staff)
    second = services.report_create(year=2025)
    with pytest.raises(services.ValidationError):
        services.report_publish(report=second, by=staff)


def test_only_published_reports_are_public(client, fake_observatory):
    services.report_create(year=2025)
    assert client.get(reverse("annual_report:public", args=[2025])).status_code == 404
    assert client.get(reverse("annual_report:public_pdf", args=[2025])).status_code == 404
    assert client.get(reverse("annual_report:public", args=[1999])).status_code == 404


def test_the_public_page_states_its_data_date_and_definitions(client, staff, fake_observatory):
    report = services.report_create(year=2025, introduction="Une année de coopération.")
    services.report_publish(report=report, by=staff)
    html = client.get(reverse("annual_report:public", args=[2025])).text
    assert '<meta property="og:title" content="Rapport' in html or report.title in html
    assert 'content="Une année de coopération."' in html
    assert "2026" in html  # the data date of the sample figures: 15 January 2026
    assert 'id="definitions"' in html and "Definition of members.by_departement" in html
    assert reverse("annual_report:public_pdf", args=[2025]) in html


def test_the_pdf_has_a_cover_contents_and_the_definitions(client, staff, fake_observatory):
    report = services.report_create(year=2025, title="Rapport d'activité 2025")
    services.report_publish(report=report, by=staff)
    response = client.get(reverse("annual_report:public_pdf", args=[2025]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    assert "Rapport d'activité 2025" in pages[0]
    text = "\n".join(pages)
    assert "Gironde" in text and "41" in text
    assert "Monter un projet" in text
    assert "Definition of trainings.table" in text
    assert f"1 / {len(pages)}" not in pages[0]  # no page number on the cover
    assert f"2 / {len(pages)}" in pages[1]
    assert "Rapport d'activité 2025 2 /" in pages[1]  # the title in the footer
    # Made once: a second visitor gets the same file, even if the figures changed since.
    fake_observatory.figures["members"]["up_to_date"] = 999
    again = client.get(reverse("annual_report:public_pdf", args=[2025]))
    assert again.content == response.content


def test_the_public_page_query_count(
    client, staff, fake_observatory, django_assert_max_num_queries
):
    services.report_publish(report=services.report_create(year=2025), by=staff)
    # The report and its snapshot, the sections, their blocks, the région's départements.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("annual_report:public", args=[2025])).status_code == 200
