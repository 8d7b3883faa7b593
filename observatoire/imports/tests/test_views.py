import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observatoire.core.testing import make_organization
from observatoire.imports.models import ImportJob, SavedMapping
from observatoire.organizations.models import Organization

from .helpers import ORGANIZATION_ROWS, csv_bytes, xlsx_bytes

UPLOAD = reverse("admin:imports_importjob_upload")


def _login(client, user):
    client.force_login(user)


def _upload(client, data: bytes, name="fichier.csv", kind="organizations"):
    return client.post(UPLOAD, {"kind": kind, "file": SimpleUploadedFile(name, data)}, follow=False)


@pytest.mark.django_db
def test_staff_imports_through_upload_mapping_preview_commit_and_report(
    client, staff, django_capture_on_commit_callbacks
):
    existing = make_organization("Les Amis d'Antsirabe", postal_code="86000")
    _login(client, staff)
    response = _upload(client, csv_bytes(ORGANIZATION_ROWS), name="liste.txt")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:imports_importjob_mapping", args=[job.pk])
    assert (job.file_format, job.encoding, job.delimiter) == ("csv", "cp1252", ";")

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Associer les colonnes" in page.content.decode()
    post = {f"column_{i}": job.mapping.get(h, "") for i, h in enumerate(job.headers)}
    post["save_as"] = "Liste du réseau"
    response = client.post(response["Location"], post)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.total_rows == 2 and job.state == ImportJob.State.MAPPED
    assert SavedMapping.objects.get(name="Liste du réseau").columns == job.mapping

    preview = client.get(response["Location"])
    content = preview.content.decode()
    assert "Solidarité Gironde Sénégal" in content
    assert f'value="update:{existing.pk}"' in content  # the matcher's proposal

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            response["Location"],
            {"choice-3": f"update:{existing.pk}", "commit": "1", "page": "1"},
        )
    status_url = reverse("admin:imports_importjob_status", args=[job.pk])
    assert response["Location"] == status_url
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE  # tasks run immediately in tests
    assert (job.created_count, job.updated_count) == (1, 1)
    assert Organization.objects.count() == 2
    progress = client.get(reverse("admin:imports_importjob_progress", args=[job.pk])).json()
    assert progress["state"] == "done" and progress["processed"] == 2
    report = client.get(reverse("admin:imports_importjob_report", args=[job.pk]))
    body = b"".join(report.streaming_content).decode("utf-8-sig")
    assert body.startswith("Ligne;Résultat")
    assert "mise à jour" in body and "créée" in body


@pytest.mark.django_db
def test_saved_mapping_is_reused(client, staff):
    SavedMapping.objects.create(
        name="Export CRM", kind="organizations", columns={"Intitulé": "name", "Zip": "postal_code"}
    )
    _login(client, staff)
    mapping = SavedMapping.objects.get()
    data = csv_bytes([["Intitulé", "Zip"], ["Eau Vive", "79000"]], encoding="utf-8")
    client.post(
        UPLOAD,
        {"kind": "organizations", "file": SimpleUploadedFile("a.csv", data), "mapping": mapping.pk},
    )
    assert ImportJob.objects.get().mapping == {"Intitulé": "name", "Zip": "postal_code"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"%PDF-1.4\x00\x00", "ni un CSV ni un XLSX"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 600, "ancien fichier Excel"),
    ],
)
def test_bad_files_get_a_french_message_and_no_job(client, staff, data, message):
    _login(client, staff)
    response = _upload(client, data, name="liste.xlsx")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_missing_required_column_is_refused_at_mapping(client, staff):
    _login(client, staff)
    _upload(client, xlsx_bytes([["Ville", "Commentaire"], ["Niort", "x"]]), name="a.xlsx")
    job = ImportJob.objects.get()
    response = client.post(
        reverse("admin:imports_importjob_mapping", args=[job.pk]),
        {"column_0": "commune", "column_1": ""},
    )
    assert response.status_code == 200
    assert "Associez une colonne à chaque champ obligatoire : Nom" in response.content.decode()


@pytest.mark.django_db
def test_a_failed_import_changes_nothing_and_can_run_again(
    client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from observatoire.imports.importers import OrganizationImporter

    _login(client, staff)
    _upload(client, csv_bytes(ORGANIZATION_ROWS))
    job = ImportJob.objects.get()
    post = {f"column_{i}": job.mapping.get(h, "") for i, h in enumerate(job.headers)}
    client.post(reverse("admin:imports_importjob_mapping", args=[job.pk]), post)

    def killed(self, batch):
        raise MemoryError("killed")

    monkeypatch.setattr(OrganizationImporter, "write", killed)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:imports_importjob_preview", args=[job.pk]), {"commit": "1"})
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert "Rien n’a été modifié" in job.failure
    assert not Organization.objects.exists()
    status = client.get(reverse("admin:imports_importjob_status", args=[job.pk]))
    assert "Relancer" in status.content.decode()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:imports_importjob_rerun", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert Organization.objects.count() == 2


@pytest.mark.django_db
def test_a_job_left_running_by_a_killed_worker_is_shown_failed(client, staff):
    import datetime

    from django.utils import timezone

    from observatoire.imports import services

    job = ImportJob.objects.create(
        kind="organizations",
        file_format="csv",
        state=ImportJob.State.RUNNING,
        started_at=timezone.now() - datetime.timedelta(hours=1),
    )
    services.job_progress_write(job.pk, 10)
    import json
    import time

    services._progress_path(job.pk).write_text(
        json.dumps({"processed": 10, "at": time.time() - 3600})
    )
    _login(client, staff)
    data = client.get(reverse("admin:imports_importjob_progress", args=[job.pk])).json()
    assert data["state"] == "failed"
    assert "Rien n’a été modifié" in data["failure"] or "rien n’a été modifié" in data["failure"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["observatory", "editor"])
def test_observatory_and_editors_may_not_import(client, request, persona):
    user = request.getfixturevalue(persona)
    _login(client, user)
    response = _upload(client, csv_bytes(ORGANIZATION_ROWS))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    assert not ImportJob.objects.exists()
    job = ImportJob.objects.create(kind="organizations", file_format="csv")
    for name in ("mapping", "preview", "status", "progress", "report"):
        response = client.get(reverse(f"admin:imports_importjob_{name}", args=[job.pk]))
        assert response.status_code in (302, 403), name


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_administrator_sees_the_imports_in_the_back_office(client, administrator):
    _login(client, administrator)
    assert client.get(UPLOAD).status_code == 200
    assert client.get(reverse("admin:imports_importjob_changelist")).status_code == 200
    assert client.get(reverse("admin:imports_rnacandidate_changelist")).status_code == 200


def test_helpers_are_bytes():
    assert isinstance(io.BytesIO(csv_bytes(ORGANIZATION_ROWS)).read(), bytes)


@pytest.mark.django_db
def test_a_file_with_a_header_and_no_rows_is_refused_at_mapping(client, staff):
    client.force_login(staff)
    _upload(client, csv_bytes([["Nom", "Ville"]]))
    job = ImportJob.objects.get()
    response = client.post(
        reverse("admin:imports_importjob_mapping", args=[job.pk]),
        {"column_0": "name", "column_1": "commune"},
    )
    assert "aucune ligne de données" in response.content.decode()


@pytest.mark.django_db
def test_unknown_columns_are_left_out_of_the_guess(client, staff):
    client.force_login(staff)
    _upload(client, csv_bytes([["Nom", "Couleur préférée"], ["Eau Vive", "bleu"]]))
    assert ImportJob.objects.get().mapping == {"Nom": "name"}
