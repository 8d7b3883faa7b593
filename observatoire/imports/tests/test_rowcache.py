"""The preview's checked rows kept for the commit: the commit writes them without checking every
row again, looks up the register again, and checks the file itself when the rows do not fit."""

import csv
import io

import pytest
from django.core.files.base import File
from django.utils import translation

from observatoire.core.testing import make_organization
from observatoire.imports import reading, rowcache
from observatoire.imports.importers import OrganizationImporter
from observatoire.imports.models import ImportJob
from observatoire.imports.services import (
    import_job_create,
    import_job_map,
    import_job_run,
    run_rows,
)
from observatoire.organizations.models import Organization

from .helpers import csv_bytes

ROWS = [
    ["Raison sociale", "SIRET", "Code postal", "Ville", "Courriel"],
    ["Solidarité Gironde Sénégal", "732 829 320 00074", "33000", "Bordeaux", "contact@sgs.fr"],
    ["Les Amis d'Antsirabe", "", "86000", "Poitiers", "pas-une-adresse"],
    ["Eau Vive", "73282932000074", "", "", ""],
    ["Tamadi Limousin", "", "87000", "Limoges", ""],
]


@pytest.fixture
def job(settings, tmp_path, staff):
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = File(io.BytesIO(csv_bytes(ROWS)), name="liste.csv")
    job = import_job_create(owner=staff, kind="organizations", upload=upload)
    job = import_job_map(job=job, mapping=job.mapping)
    job.state = ImportJob.State.QUEUED
    job.save(update_fields=["state"])
    return job


@pytest.fixture
def cleaned(monkeypatch):
    """How many rows the importer checked."""
    count = {"rows": 0}
    clean = OrganizationImporter.clean

    def counting(self, number, raw):
        count["rows"] += 1
        return clean(self, number, raw)

    monkeypatch.setattr(OrganizationImporter, "clean", counting)
    return count


def _report(job) -> list[list[str]]:
    with job.report.open("rb") as file:
        text = file.read().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _without_pks(lines):
    return [line[:3] + line[4:] for line in lines]


@pytest.mark.django_db
def test_the_commit_writes_the_checked_rows_without_checking_them_again(job, cleaned):
    assert rowcache.cache_path(job.pk).exists()
    # What the commit wrote before the cache: the same file checked row by row (dry run).
    report = io.StringIO()
    with job.file.open("rb") as file:
        info = reading.FileInfo(job.file_format, job.encoding, job.delimiter)
        run_rows(kind=job.kind, file=file, info=info, mapping=job.mapping, report=report,
                 dry_run=True)  # fmt: skip
    expected = list(csv.reader(io.StringIO(report.getvalue()), delimiter=";"))
    cleaned["rows"] = 0

    summary = import_job_run(job_id=job.pk)

    assert cleaned["rows"] == 0
    assert (summary.rows, summary.created, summary.skipped, summary.errors) == (4, 2, 2, 1)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert _without_pks(_report(job)) == _without_pks(expected)
    reasons = {line[0]: line[4] for line in _report(job)[1:]}
    assert reasons["4"] == "Même fiche que la ligne 2 du fichier."
    created = Organization.objects.get(siret="73282932000074")
    assert created.commune.name == "Bordeaux" and created.departement_id and created.region_id
    assert created.history.get().history_user == job.owner
    assert not rowcache.cache_path(job.pk).exists()  # done: the rows are not kept


@pytest.mark.django_db
def test_records_created_since_the_preview_are_found_at_commit(job, cleaned):
    existing = make_organization("SGS", siret="73282932000074")

    summary = import_job_run(job_id=job.pk)

    assert cleaned["rows"] == 0
    assert (summary.created, summary.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.public_email == "contact@sgs.fr"
    assert Organization.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["language", "missing", "damaged", "vocabulary"])
def test_the_commit_checks_the_file_when_the_kept_rows_do_not_fit(job, cleaned, change):
    path = rowcache.cache_path(job.pk)
    if change == "missing":
        path.unlink()
    elif change == "damaged":
        path.write_bytes(b"\x00garbage")
    elif change == "vocabulary":
        from observatoire.referentials.models import OrganizationKind

        kind = OrganizationKind.objects.get(slug="association")
        kind.name_fr = "Association loi 1901"
        kind.save()

    with translation.override("en" if change == "language" else "fr"):
        summary = import_job_run(job_id=job.pk)

    assert cleaned["rows"] == 4
    assert (summary.created, summary.skipped) == (2, 2)
    assert Organization.objects.count() == 2


@pytest.mark.django_db
def test_rows_damaged_after_their_start_fail_the_commit_once_then_the_file_is_checked(job, cleaned):
    path = rowcache.cache_path(job.pk)
    path.write_bytes(path.read_bytes()[:-5])  # the last chunk cut short

    assert import_job_run(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and not Organization.objects.exists()
    assert not path.exists()

    job.state = ImportJob.State.QUEUED
    job.save(update_fields=["state"])
    summary = import_job_run(job_id=job.pk)
    assert cleaned["rows"] == 4 and summary.created == 2
