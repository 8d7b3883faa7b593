"""Every format against the records: public fields only, consents respected, valid files."""

import csv
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from frictionless import Package
from lxml import etree
from openpyxl import load_workbook

from observatoire.core.testing import make_organization
from observatoire.opendata import datasets
from observatoire.opendata.iati import iati_schema
from observatoire.opendata.services import FORMATS, open_data_write
from observatoire.organizations.models import Organization

from .conftest import HIDDEN_SUMMARY, HIDDEN_WEBSITE

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(register, tmp_path):
    directory = tmp_path / "export"
    directory.mkdir()
    open_data_write(directory=directory, formats=list(FORMATS))
    return directory


def _csv(directory, name):
    with (directory / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _every_text(directory) -> str:
    """What every file says, the workbook's cells included."""
    texts = [p.read_text(encoding="utf-8") for p in directory.iterdir() if p.suffix != ".xlsx"]
    workbook = load_workbook(directory / "donnees-ouvertes.xlsx", read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            texts.append(" ".join(str(v) for v in row if v is not None))
    return "\n".join(texts)


def test_organisations_are_the_listed_ones_with_their_public_fields(register, exported):
    rows = {row["name"]: row for row in _csv(exported, "organisations")}
    assert set(rows) == {"Association Eau Vive Charente", "Ville de Poitiers"}
    eau_vive, poitiers = rows["Association Eau Vive Charente"], rows["Ville de Poitiers"]
    assert eau_vive["website"] == ""  # shown to members only
    assert poitiers["website"] == "https://www.poitiers.fr"
    assert eau_vive["departement"] == "16"
    assert eau_vive["commune_insee"] == "16015"
    assert eau_vive["themes"] == "water-sanitation"
    assert eau_vive["sdgs"] == "6"
    assert eau_vive["countries"] == "BF"
    assert eau_vive["latitude"] and eau_vive["longitude"]
    assert eau_vive["url"].endswith(f"/annuaire/{register['eau_vive'].slug}/")


def test_a_hidden_field_and_a_person_without_consent_appear_in_no_format(register, exported):
    text = _every_text(exported)
    assert "cache-cache.example.org" not in text
    assert HIDDEN_WEBSITE not in text
    assert HIDDEN_SUMMARY not in text
    assert "Discret" not in text  # never consented
    assert "Retiré" not in text  # consent withdrawn
    assert "Brouillon" not in text  # not qualified
    assert "doublon" not in text  # merged into another record
    assert "Projet non publié" not in text
    assert "@eauvive.example" not in text  # no personal e-mail, ever
    assert "Traoré" in text  # consented: named with their role


def test_contacts_are_the_consenting_people_with_their_role(register, exported):
    contacts = _csv(exported, "contacts")
    assert [(c["first_name"], c["last_name"], c["role"]) for c in contacts] == [
        ("Awa", "Traoré", "Présidente")
    ]
    assert set(contacts[0]) == {
        "id",
        "organization_id",
        "first_name",
        "last_name",
        "role",
        "is_main_contact",
    }


def test_projects_show_public_fields_partners_and_public_budget(register, exported):
    (project,) = _csv(exported, "projects")
    assert project["title"] == "Eau potable à Dédougou"
    assert project["summary"] == ""
    assert project["lead"] == "Association Eau Vive Charente"
    assert project["lead_id"] == str(register["eau_vive"].pk)
    assert project["partners"] == "Commune de Dédougou"
    assert project["funders"] == "Ville de Poitiers"
    assert project["budget_eur"] == "48000.00"
    assert project["planned_start"] == "2025-01-01"
    assert project["dac_sectors"] == "14030"
    (place,) = _csv(exported, "project-places")
    assert (place["name"], place["country"]) == ("Dédougou", "BF")


def test_a_budget_shown_to_members_only_is_left_out(register):
    project = register["project"]
    project.field_visibility = {}
    project.save()
    (row,) = datasets.project_rows()
    assert row["budget_eur"] is None


def test_partnerships_and_the_atlas(register, exported):
    (partnership,) = _csv(exported, "partnerships")
    assert partnership["french_authority"] == "Ville de Poitiers"
    assert partnership["foreign_authority"] == "Commune de Dédougou"
    assert partnership["country"] == "BF"
    assert partnership["departement"] == "86"
    (atlas,) = _csv(exported, "partnerships-atlas")
    assert atlas["Collectivité française"] == "Ville de Poitiers"
    assert atlas["Type de collectivité"] == "Commune"
    assert atlas["Département"] == "86"
    assert atlas["Autorité partenaire"] == "Commune de Dédougou"
    assert atlas["Pays"] == "Burkina Faso"
    assert atlas["Code pays"] == "BFA"
    assert atlas["Année de début"] == "2005"
    assert atlas["Statut"] == "Actif"  # the atlas's labels, in French


def test_events(register, exported):
    (event,) = _csv(exported, "events")
    assert event["title"] == "Formation : monter un projet eau"
    assert event["kind"] == "training"
    assert event["starts_at"] == "2026-03-05T09:30:00Z"
    assert event["commune_insee"] == "86194"
    assert event["url"].endswith("/evenements/formation-projet-eau/")


def test_thesaurus_uses_stable_codes(register, exported):
    rows = {row["id"]: row for row in _csv(exported, "thesaurus")}
    row = rows[str(register["eau_vive"].pk)]
    assert row["network"] == "XI-RRMA-NA"
    assert row["kind_family"] == "association"
    assert row["departement"] == "16"
    assert row["countries"] == "BFA"
    assert row["sdgs"] == "6"
    assert "14030" in row["sectors"].split(";")  # water supply, from the theme's crosswalk


def test_json_keeps_lists_as_arrays(register, exported):
    rows = json.loads((exported / "organisations.json").read_text(encoding="utf-8"))
    eau_vive = next(r for r in rows if r["name"] == "Association Eau Vive Charente")
    assert eau_vive["sdgs"] == [6]
    assert eau_vive["countries"] == ["BF"]


def test_geojson_places_organisations_projects_and_partnerships(register, exported):
    organisations = json.loads((exported / "organisations.geojson").read_text())
    assert organisations["type"] == "FeatureCollection"
    feature = organisations["features"][0]
    assert feature["geometry"]["type"] == "Point"
    longitude, latitude = feature["geometry"]["coordinates"]
    assert -6 < longitude < 10 and 41 < latitude < 52  # in France, longitude first
    projects = json.loads((exported / "projects.geojson").read_text())
    assert projects["features"][0]["geometry"]["coordinates"] == [-3.4607, 12.4634]
    assert projects["features"][0]["properties"]["title"] == "Eau potable à Dédougou"
    partnerships = json.loads((exported / "partnerships.geojson").read_text())
    line = partnerships["features"][0]["geometry"]
    assert line["type"] == "LineString"
    assert line["coordinates"][1] == [-3.46, 12.46]


def test_iati_validates_against_the_official_schema(register, exported):
    document = etree.parse(str(exported / "projects-iati.xml"))
    schema = iati_schema()
    assert schema.validate(document), schema.error_log
    (activity,) = document.findall("iati-activity")
    assert activity.findtext("iati-identifier") == f"XI-RRMA-NA-PROJ-{register['project'].pk}"
    roles = {
        org.findtext("narrative"): (org.get("role"), org.get("ref"))
        for org in activity.findall("participating-org")
    }
    assert roles["Association Eau Vive Charente"] == ("2", "XI-RRMA-NA-RNA-W161001234")
    assert roles["Ville de Poitiers"] == ("1", "FR-INSEE-732829320")
    assert roles["Commune de Dédougou"][0] == "4"
    assert activity.find("activity-status").get("code") == "2"
    assert activity.find("recipient-country").get("code") == "BF"
    assert activity.find("sector").get("code") == "14030"
    assert activity.find("tag").attrib == {"vocabulary": "2", "code": "6"}
    assert activity.find("budget/value").text == "48000.00"
    assert activity.find("location/point/pos").text == "12.4634 -3.4607"
    assert HIDDEN_SUMMARY not in etree.tostring(document, encoding="unicode")


def test_iati_identifier_of_a_company_is_its_rcs_number(db):
    from observatoire.opendata.iati import organization_identifier

    company = dict(pk=1, legal_form="company", rna="", iati_id="", visibility={})
    assert (
        organization_identifier(family="economic", siren="732829320", **company)
        == "FR-RCS-732829320"
    )
    hidden = dict(company, visibility={"siren": "staff"})
    assert organization_identifier(family="economic", siren="732829320", **hidden) == (
        "XI-RRMA-NA-ORG-1"
    )


def test_datapackage_is_valid(register, exported):
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    report = Package(str(exported / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {resource["name"] for resource in descriptor["resources"]}
    assert {"organisations", "projects", "partnerships-atlas", "thesaurus"} <= names


def test_the_export_does_not_query_per_record(register, tmp_path):
    def queries() -> int:
        directory = tmp_path / f"run-{Organization.objects.count()}"
        directory.mkdir()
        with CaptureQueriesContext(connection) as context:
            open_data_write(directory=directory, formats=["csv", "iati", "geojson"])
        return len(context)

    before = queries()
    for index in range(5):
        make_organization(f"Association numéro {index}", status=Organization.Status.QUALIFIED)
    assert queries() == before
