"""The search index during an import: the FTS5 insert trigger is dropped for the transaction and
the new rows are indexed in bulk (SQLite); PostgreSQL keeps its GIN index. Large imports also
build the tables' other indexes at the end."""

import io
from unittest import mock

import pytest
from django.db import connection, transaction

from observatoire.core.search import (
    filter_by_search_text,
    fts_table_name,
    search_index_deferred,
)
from observatoire.core.testing import make_organization
from observatoire.core.text import fold
from observatoire.imports import fastinsert, reading, services
from observatoire.imports.fields import guess_mapping
from observatoire.imports.importers import OrganizationImporter
from observatoire.imports.services import ImportFailed, run_rows
from observatoire.organizations.models import Organization
from observatoire.organizations.services import organization_build_search_text
from observatoire.referentials.models import OrganizationKind

from .helpers import csv_bytes

TABLE = Organization._meta.db_table
ROWS = [
    ["Raison sociale", "SIRET", "Code postal", "Ville"],
    ["Solidarité Gironde Sénégal", "", "33000", "Bordeaux"],
    ["Les Amis d'Antsirabe", "", "86000", "Poitiers"],
    ["Eau Vive Charente", "732 829 320 00074", "", ""],
    ["Tamadi Limousin", "", "87000", "Limoges"],
]


def _run(rows, **options):
    data = io.BytesIO(csv_bytes(rows))
    info = reading.detect(data)
    mapping = guess_mapping("organizations", reading.read_headers(data, info))
    return run_rows(kind="organizations", file=data, info=info, mapping=mapping, **options)


def _found(term):
    found = filter_by_search_text(Organization.objects.all(), term)
    return set(found.values_list("name", flat=True))


def _trigger_exists():
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            [f"{fts_table_name(TABLE)}_ai"],
        )
        return cursor.fetchone()[0] == 1


def _fts_config(name):
    if connection.vendor != "sqlite":
        return None
    fts = fts_table_name(TABLE)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT v FROM "{fts}_config" WHERE k = %s', [name])
        found = cursor.fetchone()
    return found[0] if found else None


def _fts_settings_restored():
    # FTS5's merging and in-memory index size are set back after the import (the defaults).
    return _fts_config("automerge") in (None, 4) and _fts_config("hashsize") in (None, 1 << 20)


def _indexes():
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN (%s, %s)",
            [TABLE, Organization.history.model._meta.db_table],
        )
        return set(cursor.fetchall())


def _index_consistent():
    if connection.vendor != "sqlite":
        return True
    fts = fts_table_name(TABLE)
    with connection.cursor() as cursor:
        # Compares the index with the content table; raises "database disk image is malformed".
        cursor.execute(f'INSERT INTO "{fts}"("{fts}", rank) VALUES (\'integrity-check\', 1)')
    return True


@pytest.mark.django_db
def test_imported_organizations_are_found_and_the_trigger_is_back():
    existing = make_organization("Eau Vive", siret="73282932000074")
    with mock.patch.object(services, "BATCH_SIZE", 2):  # several batches, an update among them
        summary = _run(ROWS)
    assert (summary.created, summary.updated) == (3, 1)
    assert _found("gironde senegal") == {"Solidarité Gironde Sénégal"}
    assert _found("antsirabe") == {"Les Amis d'Antsirabe"}
    assert _found("limoges") == {"Tamadi Limousin"}
    assert _found("charente") == {"Eau Vive Charente"}  # the update trigger still works
    existing.refresh_from_db()
    assert _trigger_exists()
    assert _index_consistent()
    assert _fts_settings_restored()
    # After the import, the trigger indexes ordinary creations again.
    make_organization("Kassoumaye Bretagne")
    assert _found("kassoumaye") == {"Kassoumaye Bretagne"}


@pytest.mark.django_db
def test_rows_indexed_after_each_batch_can_be_updated_in_the_same_transaction():
    # A later batch (the matcher, on small files) may update a record an earlier batch created:
    # it must already be in the index when the update trigger removes its old text.
    # Rows are inserted with their final search text, as the importers do.
    def create(name):
        kind = OrganizationKind.objects.get(slug="association")
        return Organization.objects.create(name=name, kind=kind, search_text=fold(name))

    with transaction.atomic(), search_index_deferred(Organization) as index_new_rows:
        organization = create("Solidarité Gironde Sénégal")
        index_new_rows()
        organization.name = "Solidarité Dordogne Sénégal"
        organization.search_text = organization_build_search_text(organization)
        organization.save()
        create("Tamadi Limousin")  # indexed on the way out
    assert _index_consistent()
    assert _trigger_exists()
    assert _found("dordogne") == {"Solidarité Dordogne Sénégal"}
    assert _found("gironde") == set()
    assert _found("tamadi") == {"Tamadi Limousin"}


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["strict", "dry_run", "crash"])
def test_a_failed_import_changes_nothing_and_restores_the_trigger(how):
    rows = [*ROWS, ["Sans Ville", "123", "", ""]]  # a bad SIRET
    options = {"strict": True} if how == "strict" else {"dry_run": how == "dry_run"}
    original = OrganizationImporter.write
    calls = []

    def crashing_write(self, batch):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, batch)

    write = crashing_write if how == "crash" else original
    with (
        mock.patch.object(services, "BATCH_SIZE", 2),
        mock.patch.object(OrganizationImporter, "write", write),
    ):
        if how == "dry_run":
            _run(rows, **options)
        else:
            with pytest.raises(ImportFailed if how == "strict" else RuntimeError):
                _run(rows, **options)
    assert Organization.objects.count() == 0
    assert _found("gironde") == set()
    assert _trigger_exists()
    assert _index_consistent()
    assert _fts_settings_restored()
    make_organization("Kassoumaye Bretagne")
    assert _found("kassoumaye") == {"Kassoumaye Bretagne"}


@pytest.mark.django_db
def test_an_update_chosen_for_a_row_the_import_created_keeps_the_index_sound():
    # A crafted choice "update:<pk>" may name a row created by an earlier batch of the same
    # import: created rows are indexed at the end, but before any batch that updates.
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 only; PostgreSQL's sequences do not give the next key as max + 1")
    before = Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rows = [*ROWS, ["Tamadi Corrèze", "", "19000", "Tulle"]]
    with mock.patch.object(services, "BATCH_SIZE", 2):
        summary = _run(rows, decisions={"6": f"update:{before + 1}"})
    assert (summary.created, summary.updated) == (4, 1)
    assert _index_consistent()
    assert _found("tulle") == {"Tamadi Corrèze"}
    assert _found("gironde") == set()
    assert _found("limoges") == {"Tamadi Limousin"}


@pytest.mark.django_db
def test_a_large_import_builds_the_indexes_at_the_end():
    indexes = _indexes()
    seen_during = []
    original = OrganizationImporter.write

    def write(self, batch):
        seen_during.append(_indexes())
        return original(self, batch)

    with (
        mock.patch.object(fastinsert, "DEFER_INDEXES_MIN_ROWS", 3),
        mock.patch.object(OrganizationImporter, "write", write),
    ):
        summary = _run(ROWS, expected_rows=4)
    assert summary.created == 4
    assert _indexes() == indexes  # the same indexes, with the same definitions
    if connection.vendor == "sqlite":
        # Dropped during the import, but not the unique ones (they check the rows) nor the
        # one the updates' refresh reads.
        (during,) = seen_during
        assert {name for name, _sql in during} == {
            name
            for name, sql in indexes
            if sql is None or sql.upper().startswith("CREATE UNIQUE") or "merged_into" in name
        }
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchone()[0] == "ok"
    assert Organization.objects.filter(siret="73282932000074").count() == 1


@pytest.mark.django_db
def test_indexes_of_a_table_larger_than_the_import_are_kept():
    make_organization("Eau Vive")
    seen_during = []
    original = OrganizationImporter.write

    def write(self, batch):
        seen_during.append(_indexes())
        return original(self, batch)

    with (
        mock.patch.object(fastinsert, "DEFER_INDEXES_MIN_ROWS", 1),
        mock.patch.object(OrganizationImporter, "write", write),
    ):
        _run(ROWS[:2], expected_rows=1)  # one row: the table (1 row) is not smaller
    organization_indexes = {(n, sql) for n, sql in _indexes() if n.startswith(TABLE)}
    assert organization_indexes <= seen_during[0]


@pytest.mark.django_db
def test_a_failed_large_import_leaves_the_indexes():
    indexes = _indexes()
    original = OrganizationImporter.write

    def crashing_write(self, batch):
        original(self, batch)
        raise RuntimeError("disk full")

    with (
        mock.patch.object(fastinsert, "DEFER_INDEXES_MIN_ROWS", 1),
        mock.patch.object(OrganizationImporter, "write", crashing_write),
        pytest.raises(RuntimeError),
    ):
        _run(ROWS, expected_rows=4)
    assert _indexes() == indexes
    assert Organization.objects.count() == 0
    assert _trigger_exists() and _index_consistent() and _fts_settings_restored()


@pytest.mark.django_db
def test_unique_indexes_stay_during_a_large_import():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: PostgreSQL keeps its indexes")
    from observatoire.organizations.models import Membership

    make_organization("Eau Vive", siret="73282932000074")
    table = Membership._meta.db_table
    rows = [["Structure", "Année"], ["Eau Vive", "2024"], ["Eau Vive", "2025"]]
    data = io.BytesIO(csv_bytes(rows))
    info = reading.detect(data)
    mapping = guess_mapping("memberships", reading.read_headers(data, info))

    def unique_indexes():
        with connection.cursor() as cursor:
            cursor.execute(f'PRAGMA index_list("{table}")')
            return {row[1] for row in cursor.fetchall() if row[2]}

    unique = unique_indexes()
    seen_during = []

    with mock.patch.object(fastinsert, "DEFER_INDEXES_MIN_ROWS", 1):
        summary = run_rows(
            kind="memberships", file=data, info=info, mapping=mapping, expected_rows=2,
            before_commit=lambda _summary: seen_during.append(unique_indexes()),
        )  # fmt: skip
    assert summary.created == 2
    assert unique and unique <= seen_during[0]
