"""The preview of a large file finds the matches of all its rows at once, and shows what the
row-by-row matcher would show: same records, order, reasons and proposed action."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observatoire.core.testing import make_organization
from observatoire.deduplication import matching, selectors
from observatoire.deduplication.matching import Description, find_matches
from observatoire.deduplication.selectors import organization_matches_many
from observatoire.imports import importers, rowcache, services
from observatoire.organizations.models import Organization
from observatoire.referentials.models import Commune

from .helpers import csv_bytes

HEADER = ["Raison sociale", "Sigle", "SIRET", "RNA", "Code postal", "Ville", "Site web"]
ROWS = [
    # The same name in the same commune: the duplicate keys tie it to the record.
    ["Solidarité Gironde Sénégal", "SGS", "", "", "33000", "Bordeaux", ""],
    # Fuzzy duplicates.
    ["Solidarité Gironde Sénégale", "", "", "", "33000", "Bordeaux", ""],
    ["Les Amis d'Antsirab", "", "", "", "86000", "Poitiers", ""],
    ["Hydraulique Sans Frontieres", "", "", "", "33000", "Bordeaux", ""],
    # Identifiers under another name.
    ["CAG 44", "", "73282932000074", "", "44000", "Nantes", ""],
    ["Eau Vive 16", "", "", "W162001234", "16000", "Angoulême", ""],
    # Without a commune (the batch asks find_matches about it).
    ["Solidarite Gironde Senegal", "", "", "", "", "", ""],
    # The same website.
    ["Bretagne Mali Solidarité", "", "", "", "35000", "Rennes", "https://www.bretagne-mali.org"],
    ["Comité de jumelage de Niort", "", "", "", "79000", "Niort", ""],
    # No match.
    ["Lumière du Sahel", "", "", "", "87000", "Limoges", ""],
    # An error: no matches looked for.
    ["", "", "", "", "87000", "Limoges", ""],
]


def _place(insee_code: str) -> dict:
    return {"commune": Commune.objects.get(insee_code=insee_code)}


@pytest.fixture
def register():
    found = {
        "sgs": make_organization("Solidarité Gironde Sénégal", acronym="SGS", **_place("33063")),
        "amis": make_organization("Les Amis d'Antsirabe", **_place("86194")),
        "cag": make_organization(
            "Coopération Atlantique Guinée 44", siret="73282932000074", **_place("44109")
        ),
        "eau": make_organization("Eau Vive Charente", rna="W162001234", **_place("16015")),
        "hsf": make_organization("HSF Sud-Ouest", **_place("33063")),
        "hsf_old": make_organization(
            "Hydraulique Sans Frontières Sud-Ouest", website="https://hsf.org", **_place("33063")
        ),
        # Two records of one name (a duplicate of the register): same score, same name.
        "bm1": make_organization(
            "Bretagne Mali", website="https://bretagne-mali.org", **_place("35238")
        ),
        "bm2": make_organization(
            "Bretagne Mali", website="https://bretagne-mali.org", **_place("35238")
        ),
        "niort": make_organization("Ville de Niort", kind_slug="other", **_place("79191")),
        "jumelage": make_organization("Jumelage Niort", **_place("79191")),
    }
    Organization.objects.filter(pk=found["hsf_old"].pk).update(
        merged_into=found["hsf"], status="archived"
    )
    return found


@pytest.fixture
def mapped_job(staff, django_capture_on_commit_callbacks):
    """Upload and map a file; the task the mapping starts runs (tasks run at once in tests)."""

    def mapped(rows=ROWS):
        upload = SimpleUploadedFile("structures.csv", csv_bytes([HEADER, *rows], encoding="utf-8"))
        job = services.import_job_create(owner=staff, kind="organizations", upload=upload)
        with django_capture_on_commit_callbacks(execute=True):
            return services.import_job_map(job=job, mapping=job.mapping)

    return mapped


def _shown(rows):
    return [(row.number, row.matches, row.default) for row in rows]


@pytest.mark.django_db
def test_the_batch_path_shows_what_the_row_by_row_path_shows(mapped_job, register, monkeypatch):
    monkeypatch.setattr(services, "PREVIEW_BATCH_FROM", 10**9)
    job = mapped_job()
    assert not rowcache.matches_path(job.pk).exists()
    row_by_row = _shown(services.import_job_preview(job=job, page=1))

    monkeypatch.setattr(services, "PREVIEW_BATCH_FROM", 1)
    job = mapped_job()
    assert rowcache.matches_path(job.pk).exists()
    with mock.patch.object(importers, "find_matches", wraps=find_matches) as per_row:
        batched = _shown(services.import_job_preview(job=job, page=1))
    assert per_row.call_count == 0  # the preview read the matches found at mapping

    assert batched == row_by_row
    by_line = {number: (matches, default) for number, matches, default in batched}
    pks = {key: record.pk for key, record in register.items()}
    # What a user relies on: the records proposed, in order, with the reasons, and the action.
    assert by_line[2][1] == f"update:{pks['sgs']}"
    assert [m[0] for m in by_line[3][0]] == [pks["sgs"]]
    assert by_line[3][0][0][2]  # the reasons are given
    assert by_line[4][1] == f"update:{pks['amis']}"
    assert [m[0] for m in by_line[5][0]] == [pks["hsf"]]  # the merged record leads to the kept one
    assert by_line[6] == (
        [(pks["cag"], str(register["cag"]), "même SIRET")],
        f"update:{pks['cag']}",
    )
    assert by_line[7][0][0][:1] == (pks["eau"],) and "même numéro RNA" in by_line[7][0][0][2]
    assert [m[0] for m in by_line[8][0]] == [pks["sgs"]]
    assert [m[0] for m in by_line[9][0]][:2] == [pks["bm1"], pks["bm2"]]
    assert by_line[11] == ([], "create")
    assert by_line[12] == ([], "skip")


@pytest.mark.django_db
@pytest.mark.parametrize("one_by_one", [200, 0])
def test_organization_matches_many_scores_as_find_matches(register, one_by_one, monkeypatch):
    # 0: the descriptions without a département are linked in a batch too.
    monkeypatch.setattr(selectors, "UNPLACED_ONE_BY_ONE", one_by_one)
    descriptions = {
        number: Description(name=name, siret=siret, rna=rna, website=website, **place)
        for number, (name, siret, rna, website, place) in enumerate(
            [
                ("Solidarité Gironde Sénégale", "", "", "", _ids("33063")),
                ("Amis Antsirabe", "", "", "", _ids("86194")),
                ("CAG", "73282932000074", "", "", _ids("44109")),
                ("Eau Vive", "", "W162001234", "", {}),
                ("Solidarite Gironde Senegal", "", "", "", {}),
                ("Amis Antsirab", "", "", "", {}),
                ("Bretagne-Mali", "", "", "bretagne-mali.org", _ids("35238")),
                ("Hydraulique Sans Frontieres", "", "", "hsf.org", _ids("33063")),
                ("Rien à voir", "", "", "", _ids("87085")),
            ]
        )
    }
    for limit, min_score in ((5, 0.75), (1, importers.MATCH_UPDATE_SCORE), (1, 0.5)):
        batched = organization_matches_many(descriptions, limit=limit, min_score=min_score)
        for number, description in descriptions.items():
            expected = [
                (m.organization.pk, m.score, m.reason_codes)
                for m in find_matches(description, limit=limit, min_score=min_score)
            ]
            assert batched[number] == expected, description.name
    assert organization_matches_many(descriptions)[6][0][0] == register["bm1"].pk  # Bretagne-Mali


def _ids(insee_code: str) -> dict:
    commune = Commune.objects.get(insee_code=insee_code)
    return {"commune_id": commune.pk, "departement_id": commune.departement_id}


@pytest.mark.django_db
def test_the_preview_page_of_a_large_file_shows_the_matches_as_before(
    client, staff, mapped_job, register, monkeypatch
):
    monkeypatch.setattr(services, "PREVIEW_BATCH_FROM", 1)
    job = mapped_job()
    client.force_login(staff)
    with mock.patch.object(matching, "find_matches", wraps=find_matches) as per_row:
        page = client.get(reverse("admin:imports_importjob_preview", args=[job.pk]))
    assert per_row.call_count == 0
    content = page.content.decode()
    assert page.status_code == 200
    assert "import-matches-pending" not in content
    assert "Doublon possible : Coopération Atlantique Guinée 44 (même SIRET)" in content
    assert f'<option value="update:{register["cag"].pk}" selected>' in content


@pytest.mark.django_db
def test_kept_matches_serve_only_their_mapping_and_drop_deleted_records(
    mapped_job, register, monkeypatch
):
    monkeypatch.setattr(services, "PREVIEW_BATCH_FROM", 1)
    job = mapped_job()
    Organization.objects.filter(pk=register["cag"].pk).delete()
    kept = make_organization("Solidarité Gironde–Sénégal Bordeaux", **_place("33063"))
    Organization.objects.filter(pk=register["sgs"].pk).update(merged_into=kept)
    shown = {row.number: row for row in services.import_job_preview(job=job, page=1)}
    assert shown[6].matches == [] and shown[6].default == "create"
    assert [pk for pk, _label, _reasons in shown[3].matches] == [kept.pk]

    # Another mapping of the columns: the kept matches are not those of these rows.
    job.mapping = {h: f for h, f in job.mapping.items() if f != "siret"}
    job.save(update_fields=["mapping"])
    with mock.patch.object(importers, "find_matches", wraps=find_matches) as per_row:
        services.import_job_preview(job=job, page=1)
    assert per_row.call_count > 0


@pytest.mark.django_db
def test_a_small_file_is_matched_row_by_row(mapped_job, register):
    job = mapped_job(rows=ROWS[:3])
    assert job.total_rows < services.PREVIEW_BATCH_FROM
    assert not rowcache.matches_path(job.pk).exists()
    shown = {row.number: row for row in services.import_job_preview(job=job, page=1)}
    assert shown[3].default == f"update:{register['sgs'].pk}"


@pytest.mark.django_db
def test_until_the_task_has_run_the_preview_looks_row_by_row_and_says_so(
    client, staff, register, monkeypatch
):
    monkeypatch.setattr(services, "PREVIEW_BATCH_FROM", 1)
    upload = SimpleUploadedFile("structures.csv", csv_bytes([HEADER, *ROWS], encoding="utf-8"))
    job = services.import_job_create(owner=staff, kind="organizations", upload=upload)
    job = services.import_job_map(job=job, mapping=job.mapping)  # the task not run yet
    client.force_login(staff)
    page = client.get(reverse("admin:imports_importjob_preview", args=[job.pk]))
    content = page.content.decode()
    assert "en cours de recherche" in content
    assert f'<option value="update:{register["cag"].pk}" selected>' in content

    assert services.import_job_find_matches(job_id=job.pk, language="fr") == 10
    page = client.get(reverse("admin:imports_importjob_preview", args=[job.pk]))
    assert "en cours de recherche" not in page.content.decode()
