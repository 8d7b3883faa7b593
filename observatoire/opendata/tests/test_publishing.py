"""The command, the nightly task and its atomic swap."""

import datetime
import os

import pytest
from django.core.management import CommandError, call_command

from observatoire.core import periodic
from observatoire.opendata import services
from observatoire.opendata.services import open_data_publish, published_file, published_manifest
from observatoire.opendata.tasks import publish_open_data

pytestmark = pytest.mark.django_db

EXPECTED = {
    "csv": "organisations.csv",
    "xlsx": "donnees-ouvertes.xlsx",
    "json": "projects.json",
    "geojson": "partnerships.geojson",
    "iati": "projects-iati.xml",
    "datapackage": "datapackage.json",
}


@pytest.mark.parametrize("file_format", sorted(EXPECTED))
def test_command_writes_each_format(register, tmp_path, file_format):
    output = tmp_path / "out"
    call_command("export_open_data", "--format", file_format, "--output", str(output))
    assert (output / EXPECTED[file_format]).stat().st_size > 0
    if file_format not in ("csv", "datapackage"):
        assert not (output / "organisations.csv").exists()


def test_command_all_and_several_formats(register, tmp_path):
    call_command("export_open_data", "--format", "all", "--output", str(tmp_path / "all"))
    assert {name for name in EXPECTED.values()} <= {p.name for p in (tmp_path / "all").iterdir()}
    call_command(
        "export_open_data", "--format", "iati", "--format", "json", "--output", str(tmp_path / "b")
    )
    assert (tmp_path / "b" / "projects-iati.xml").exists()
    assert (tmp_path / "b" / "events.json").exists()


def test_command_refuses_an_unknown_format(tmp_path):
    with pytest.raises(CommandError, match="Unknown format “pdf”"):
        call_command("export_open_data", "--format", "pdf", "--output", str(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_command_refuses_a_directory_it_cannot_write(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    with pytest.raises(CommandError, match="not writable"):
        call_command("export_open_data", "--format", "csv", "--output", str(locked))


def test_command_refuses_an_output_that_is_a_file(tmp_path):
    target = tmp_path / "a-file"
    target.write_text("")
    with pytest.raises(CommandError, match="Cannot create the directory"):
        call_command("export_open_data", "--format", "csv", "--output", str(target))


def test_publish_swaps_the_current_release(register, open_data_root):
    assert published_manifest() is None
    first = open_data_publish()
    first_path = published_file("organisations.csv")
    second = open_data_publish()
    assert published_manifest().generated_at == second.generated_at != first.generated_at
    assert published_file("organisations.csv") != first_path
    assert published_file("../manifest.json") is None
    releases = [p for p in (open_data_root / "releases").iterdir()]
    assert len(releases) == services.KEPT_RELEASES


def test_a_failed_generation_leaves_the_published_files_alone(
    register, open_data_root, monkeypatch
):
    open_data_publish()
    before = published_manifest()

    def broken(path):
        path.write_text("<half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.iati, "write_iati", broken)
    with pytest.raises(RuntimeError):
        open_data_publish()
    assert published_manifest() == before
    assert published_file("projects-iati.xml").read_text().startswith("<?xml")
    assert not [p for p in (open_data_root / "releases").iterdir() if p.name.startswith(".")]


def test_the_task_is_registered_nightly_and_publishes(register):
    (entry,) = [e for e in periodic.registered() if e.name == publish_open_data.module_path]
    assert entry.every == datetime.timedelta(days=1)
    publish_open_data.enqueue()  # the test settings run tasks at once
    assert published_file("projects-iati.xml") is not None
