"""The national dataset: deterministic, sized from N, loaded through the product's importers."""

import pytest

from bench import national
from observatoire.organizations.models import HistoricalOrganization, Organization, Source
from observatoire.portal.models import OrganizationEntry, ProjectEntry
from observatoire.projects.models import Project

N = 300


@pytest.mark.django_db
def test_same_seed_same_files_other_seed_other_files(tmp_path):
    first = national.write_files(N, 1901, tmp_path / "a")
    again = national.write_files(N, 1901, tmp_path / "b")
    other = national.write_files(N, 7, tmp_path / "c")
    assert first == again
    assert first["organizations"] != other["organizations"]
    lines = (tmp_path / "a" / "organizations.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == N + 1
    assert lines[0].startswith("Nom;Sigle;Type;SIREN;SIRET;RNA")


@pytest.mark.django_db
def test_build_loads_through_the_importers_and_indexes_the_published_rows(tmp_path):
    summary = national.build(N, 1901, tmp_path, verbose=False)
    counts = summary["counts"]
    assert counts["organizations"] == N
    assert 2 * N <= counts["people"] <= 4 * N
    assert counts["affiliations"] == counts["people"] == counts["emails"]
    assert counts["projects"] == N // 4
    assert counts["events"] == N // 10
    assert counts["support_sessions"] == N // 20
    assert counts["registrations"] >= counts["events"]
    assert counts["campaigns"] == 6 and counts["deliveries"] == 6 * (N // 4)
    assert counts["memberships"] > 0
    # The organisation importer wrote them: its source, and its history rows.
    assert Organization.objects.filter(source=Source.IMPORT).count() == N
    assert HistoricalOrganization.objects.filter(history_change_reason="import").count() == N
    # The public index holds what is published, nothing else.
    qualified = Organization.objects.filter(status="qualified").count()
    assert 0 < qualified < N
    assert OrganizationEntry.objects.count() == qualified == counts["directory_entries"]
    assert ProjectEntry.objects.count() == Project.objects.filter(is_published=True).count()
    assert summary["consistency"] == {"search_text_mismatches": 0}
    assert set(summary["steps"]) >= {"files", "import organizations", "public index"}


def test_a_database_url_must_name_a_bench_database():
    with pytest.raises(SystemExit):
        national.check_database_url("postgres://me@localhost/observatoire")
    national.check_database_url("postgres://me@localhost/observatoire_bench")


def test_ensure_reads_nothing_where_nothing_was_built(tmp_path, monkeypatch):
    monkeypatch.setattr(national, "BENCH_DIR", tmp_path)
    assert national.read_meta(N, 1901, None) is None
    assert national.dataset_path(N, 1901) == tmp_path / "var" / "national-300-1901.sqlite3"
