import io
from decimal import Decimal
from unittest import mock

import pytest

from observatoire.core.testing import make_organization, make_person
from observatoire.imports import reading
from observatoire.imports.fields import guess_mapping
from observatoire.imports.services import ImportFailed, run_rows
from observatoire.organizations.models import Affiliation, Membership, Organization, Person
from observatoire.organizations.services import (
    organization_build_search_text,
    person_build_search_text,
)

from .helpers import ORGANIZATION_ROWS, csv_bytes, xlsx_bytes


def _run(kind, rows, *, xlsx=False, **options):
    data = io.BytesIO(xlsx_bytes(rows) if xlsx else csv_bytes(rows))
    info = reading.detect(data)
    mapping = guess_mapping(kind, reading.read_headers(data, info))
    report = io.StringIO()
    summary = run_rows(kind=kind, file=data, info=info, mapping=mapping, report=report, **options)
    return summary, report.getvalue()


def test_mapping_guessed_from_french_headers():
    headers = ["Nom", "Raison sociale", "SIRET", "Code postal", "Ville", "E-mail", "Téléphone"]
    mapping = guess_mapping("organizations", headers)
    assert mapping["Nom"] == "name"
    assert "Raison sociale" not in mapping  # the name is taken once
    assert mapping["Code postal"] == "postal_code"
    assert mapping["Ville"] == "commune"
    assert mapping["E-mail"] == "public_email"
    people = guess_mapping("people", ["Prénom", "Nom", "Courriel", "Structure", "Fonction"])
    assert people == {
        "Prénom": "first_name",
        "Nom": "last_name",
        "Courriel": "email",
        "Structure": "organization",
        "Fonction": "job_title",
    }


@pytest.mark.django_db
def test_organizations_created_with_the_services_invariants():
    summary, report = _run("organizations", ORGANIZATION_ROWS)
    assert (summary.created, summary.errors) == (2, 0)
    organization = Organization.objects.get(acronym="SGS")
    assert organization.commune.name == "Bordeaux"
    assert organization.departement.code == "33"
    assert organization.region is not None and organization.latitude is not None
    assert organization.status == Organization.Status.PENDING
    assert organization.source == "import"
    assert organization.search_text == organization_build_search_text(organization)
    assert organization.history.get().history_change_reason == "import"
    assert "créée" in report


@pytest.mark.django_db
def test_update_by_siret_keeps_what_the_file_leaves_empty():
    existing = make_organization("Eau Vive", siret="73282932000074", website="https://eauvive.org")
    rows = [
        ["Nom", "SIRET", "Site web", "Sigle"],
        ["Eau Vive Charente", "732 829 320 00074", "", "EVC"],
    ]
    summary, _report = _run("organizations", rows)
    assert (summary.created, summary.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.name == "Eau Vive Charente"
    assert existing.website == "https://eauvive.org"
    assert existing.search_text == organization_build_search_text(existing)


@pytest.mark.django_db
def test_bad_rows_are_skipped_with_their_reason_and_duplicates_detected():
    rows = [
        ["Nom", "SIRET", "Code postal", "Commune", "Courriel"],
        ["Bonne", "73282932000074", "33000", "Bordeaux", ""],
        ["Doublon", "73282932000074", "", "", ""],
        ["SIRET faux", "73282932000075", "", "", ""],
        ["Commune inconnue", "", "99999", "Atlantide", ""],
        ["", "", "", "", ""],
        ["Mail faux", "", "", "", "pas-un-mail"],
        ['=HYPERLINK("http://x")', "", "", "", ""],
    ]
    summary, report = _run("organizations", rows)
    assert summary.created == 2  # "Bonne" and the formula-like name, kept as text
    assert summary.errors == 3
    assert summary.skipped == 4
    assert "ligne 2" in report
    assert "clé de contrôle" in report or "check digit" in report
    assert "Commune inconnue" in report
    assert Organization.objects.filter(name__startswith="=HYPERLINK").exists()


@pytest.mark.django_db
def test_strict_import_with_an_error_changes_nothing():
    rows = [["Nom", "SIRET"], ["Bonne", "73282932000074"], ["Faux", "123"]]
    with pytest.raises(ImportFailed):
        _run("organizations", rows, strict=True)
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_a_failure_during_the_writes_rolls_everything_back():
    rows = [["Nom"]] + [[f"Association {i}"] for i in range(2500)]
    from observatoire.imports.importers import OrganizationImporter

    original = OrganizationImporter.write
    calls = []

    def failing(self, batch):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return original(self, batch)

    with mock.patch.object(OrganizationImporter, "write", failing), pytest.raises(RuntimeError):
        _run("organizations", rows)
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    summary, _report = _run("organizations", ORGANIZATION_ROWS, dry_run=True)
    assert summary.created == 2
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_people_with_affiliations_from_xlsx():
    organization = make_organization("Eau Vive", siret="73282932000074")
    known = make_person("Awa", "Traoré", email="awa@eauvive.org")
    rows = [
        ["Prénom", "Nom", "Courriel", "Téléphone", "SIRET structure", "Rôle"],
        ["Jean", "Martin", "jean@eauvive.org", "05 49 00 00 00", "73282932000074", "Trésorier"],
        ["Awa", "Traoré-Diallo", "AWA@eauvive.org", "", "73282932000074", "Présidente"],
        ["Paul", "Durand", "", "", "99999999999999", ""],
        ["Jean", "Martin", "jean@eauvive.org", "", "", ""],
    ]
    summary, report = _run("people", rows, xlsx=True)
    assert (summary.created, summary.updated, summary.errors) == (1, 1, 1)
    jean = Person.objects.get(first_name="Jean")
    assert jean.primary_email == "jean@eauvive.org"
    assert jean.phones.get().number == "05 49 00 00 00"
    assert Affiliation.objects.get(person=jean).role == "Trésorier"
    assert jean.search_text == person_build_search_text(jean)
    known.refresh_from_db()
    assert known.last_name == "Traoré-Diallo"
    assert Affiliation.objects.filter(person=known, organization=organization).exists()
    organization.refresh_from_db()
    assert organization.search_text == organization_build_search_text(organization)
    assert "ligne 2" in report  # the repeated Jean Martin


@pytest.mark.django_db
def test_memberships():
    make_organization("Eau Vive", siret="73282932000074")
    rows = [
        ["Structure", "Année", "Cotisation", "Payée le"],
        ["Eau Vive", "2025", "120,50 €", "15/03/2025"],
        ["Eau Vive", "2025", "100", ""],
        ["Inconnue", "2025", "", ""],
        ["Eau Vive", "1850", "", ""],
    ]
    summary, _report = _run("memberships", rows)
    assert (summary.created, summary.errors) == (1, 2)
    membership = Membership.objects.get()
    assert membership.fee_amount == Decimal("120.50")
    assert membership.paid_on.isoformat() == "2025-03-15"
    assert membership.college.slug == "associations"
    rows = [["Structure", "Année", "Cotisation"], ["Eau Vive", "2025", "130"]]
    summary, _report = _run("memberships", rows)
    assert summary.updated == 1
    membership.refresh_from_db()
    assert membership.fee_amount == Decimal("130.00")
