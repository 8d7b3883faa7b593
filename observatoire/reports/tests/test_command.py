"""`manage.py annual_report` in each format, and its refusals."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from observatoire.accounts.models import Role
from observatoire.core.testing import make_user
from observatoire.reports import services
from observatoire.reports.models import AnnualReport

pytestmark = pytest.mark.django_db


def _run(tmp_path, fmt, year="2025"):
    output = tmp_path / f"report.{fmt}"
    call_command("annual_report", year=year, format=fmt, output=str(output), stdout=io.StringIO())
    return output


def test_json_of_the_default_template_on_fresh_figures(tmp_path, fake_observatory):
    data = json.loads(_run(tmp_path, "json").read_text())
    for key in ("schema", "period", "filters", "data_date", "organizations", "members",
                "referencing", "projects", "trainings", "support", "meetings", "calls",
                "communication", "coverage", "report"):  # fmt: skip
        assert key in data
    assert data["members"]["up_to_date"] == 113
    assert data["report"]["status"] == "draft" and data["report"]["frozen"] is False
    blocks = [block["key"] for section in data["report"]["sections"] for block in section["blocks"]]
    assert "trainings" in blocks and "members_by_departement" in blocks
    # The default template only lived for the command.
    assert not AnnualReport.objects.exists()


def test_json_of_the_published_report_uses_its_snapshot(tmp_path, fake_observatory):
    report = services.report_create(year=2025, title="Rapport publié")
    services.report_publish(report=report, by=make_user(Role.STAFF))
    fake_observatory.figures["members"]["up_to_date"] = 999
    data = json.loads(_run(tmp_path, "json").read_text())
    assert data["report"]["title"] == "Rapport publié" and data["report"]["frozen"] is True
    assert data["members"]["up_to_date"] == 113


def test_html_is_one_standalone_file(tmp_path, fake_observatory):
    html = _run(tmp_path, "html").read_text()
    assert html.startswith("<!DOCTYPE html>") and ".report-figures" in html
    assert "<svg" in html and "Gironde" in html


def test_pdf(tmp_path, fake_observatory):
    reader = PdfReader(_run(tmp_path, "pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Burkina Faso" in text and "113" in text


@pytest.mark.parametrize(
    "options, message",
    [
        ({"year": "20x5", "format": "json"}, "--year"),
        ({"year": "2025", "format": "docx"}, "--format"),
    ],
)
def test_bad_arguments_are_refused_clearly(tmp_path, options, message, fake_observatory):
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", output=str(tmp_path / "out"), **options)


def test_a_path_that_cannot_be_written(tmp_path, fake_observatory):
    with pytest.raises(CommandError):
        call_command("annual_report", year="2025", format="json", output=str(tmp_path / "no/x"))
    with pytest.raises(CommandError):
        call_command("annual_report", year="2025", format="json", output=str(tmp_path))
    assert fake_observatory.calls == 0  # refused before computing anything
