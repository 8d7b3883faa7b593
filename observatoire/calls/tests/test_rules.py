import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from observatoire.calls.rules import check_attachment, check_eligibility
from observatoire.calls.testing import PDF_BYTES, listed_organization, make_call
from observatoire.referentials.models import SDG, Departement, OrganizationKind, Theme

pytestmark = pytest.mark.django_db


def test_any_organisation_is_eligible_when_the_call_restricts_nothing():
    call = make_call()
    verdict = check_eligibility(call=call, organization=listed_organization())
    assert verdict.eligible


def test_kind_and_departement_block_the_submission():
    call = make_call()
    call.eligible_kinds.set([OrganizationKind.objects.get(slug="commune")])
    call.eligible_departements.set([Departement.objects.get(code="86")])
    verdict = check_eligibility(call=call, organization=listed_organization())
    assert len(verdict.blocking) == 2
    assert "Vienne" in verdict.blocking[1]
    assert not verdict.eligible


def test_an_organisation_of_the_right_kind_and_departement_passes():
    call = make_call()
    call.eligible_kinds.set([OrganizationKind.objects.get(slug="association")])
    call.eligible_departements.set([Departement.objects.get(code="33")])
    assert check_eligibility(call=call, organization=listed_organization()).eligible


def test_themes_sdgs_and_amount_only_warn():
    call = make_call(max_amount=Decimal("10000"))
    call.themes.set([Theme.objects.order_by("pk").first()])
    call.sdgs.set([SDG.objects.get(number=6)])
    organization = listed_organization()
    organization.sdgs.set([SDG.objects.get(number=4)])
    verdict = check_eligibility(call=call, organization=organization, amount=Decimal("12000"))
    assert verdict.blocking == []
    assert len(verdict.warnings) == 3
    assert "10" in verdict.warnings[2] and "12" in verdict.warnings[2]


def test_a_shared_sdg_is_enough():
    call = make_call()
    call.sdgs.set(SDG.objects.filter(number__in=[4, 6]))
    organization = listed_organization()
    organization.sdgs.set([SDG.objects.get(number=6)])
    assert check_eligibility(call=call, organization=organization).eligible


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("dossier.pdf", PDF_BYTES),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20),
        ("budget.xlsx", _zip({"[Content_Types].xml": b"x", "xl/workbook.xml": b"x"})),
        ("note.docx", _zip({"[Content_Types].xml": b"x", "word/document.xml": b"x"})),
        (
            "note.odt",
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"x"}),
        ),
    ],
)
def test_accepted_files(name, content):
    upload = SimpleUploadedFile(name, content)
    assert check_attachment(upload, allowed=[], max_size_mb=None) is None


def test_a_renamed_file_is_refused_by_its_content():
    upload = SimpleUploadedFile("dossier.pdf", b"MZ\x90\x00 not a pdf at all")
    error = check_attachment(upload, allowed=["pdf"], max_size_mb=5)
    assert "PDF" in error


def test_a_spreadsheet_renamed_docx_is_refused():
    upload = SimpleUploadedFile("note.docx", _zip({"xl/workbook.xml": b"x"}))
    assert "DOCX" in check_attachment(upload, allowed=["docx"], max_size_mb=5)


def test_an_extension_not_allowed_is_refused():
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n")
    assert "pdf" in check_attachment(upload, allowed=["pdf"], max_size_mb=5)


def test_a_file_too_large_is_refused():
    upload = SimpleUploadedFile("dossier.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    assert "1 Mo" in check_attachment(upload, allowed=["pdf"], max_size_mb=1) or "1 MB" in (
        check_attachment(upload, allowed=["pdf"], max_size_mb=1)
    )
