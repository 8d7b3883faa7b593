"""The generated associations-register file: deterministic, both encodings, malformed rows."""

import hashlib

import pytest

from bench import national_rna


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_parameters_same_bytes(tmp_path):
    first = national_rna.write_rna_csv(tmp_path / "a.csv", 3000, seed=7)
    second = national_rna.write_rna_csv(tmp_path / "b.csv", 3000, seed=7)
    other = national_rna.write_rna_csv(tmp_path / "c.csv", 3000, seed=8)
    assert first == {**second, "bytes": first["bytes"]}
    assert _digest(tmp_path / "a.csv") == _digest(tmp_path / "b.csv")
    assert _digest(tmp_path / "a.csv") != _digest(tmp_path / "c.csv")
    assert other["rows"] == 3000


def test_shares_and_header(tmp_path):
    path = tmp_path / "rna.csv"
    counts = national_rna.write_rna_csv(path, 5000, malformed_share=0.02)
    assert counts["rows"] == 5000
    assert 60 <= counts["malformed"] <= 140
    assert sum(counts["kinds"].values()) == counts["malformed"]
    assert all(counts["kinds"].values())  # every kind of damage appears
    assert 150 <= counts["international"] <= 350
    lines = path.read_bytes().split(b"\r\n")
    assert lines[0].decode() == ";".join(national_rna.COLUMNS)
    assert len(lines) == 5000 + 2  # header, rows, the empty string after the last newline


def test_encodings(tmp_path):
    utf8 = national_rna.write_rna_csv(tmp_path / "u.csv", 3000, encoding="utf-8")
    cp1252 = national_rna.write_rna_csv(tmp_path / "w.csv", 3000, encoding="cp1252")
    assert "invalid_bytes" not in cp1252["kinds"]
    text = (tmp_path / "w.csv").read_bytes().decode("cp1252")  # every byte is Windows-1252
    assert "É" in text and "è" in text
    undecodable = 0
    for line in (tmp_path / "u.csv").read_bytes().split(b"\r\n"):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            undecodable += 1
    assert undecodable == utf8["kinds"]["invalid_bytes"] > 0


def test_clean_twin_holds_the_same_associations(tmp_path):
    national_rna.write_rna_csv(tmp_path / "bad.csv", 3000, malformed_share=0.05)
    clean = national_rna.write_rna_csv(tmp_path / "ok.csv", 3000, malformed_share=0)
    assert clean["malformed"] == 0
    bad = (tmp_path / "bad.csv").read_bytes().split(b"\r\n")
    ok = (tmp_path / "ok.csv").read_bytes().split(b"\r\n")
    assert len(bad) == len(ok)
    differing = sum(a != b for a, b in zip(bad, ok, strict=True))
    assert 100 <= differing <= 200


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_product_import_reports_every_malformed_row(tmp_path, encoding):
    from observatoire.imports.models import RnaCandidate
    from observatoire.imports.rna import import_rna

    path = tmp_path / "rna.csv"
    counts = national_rna.write_rna_csv(path, 2000, encoding=encoding, malformed_share=0.05)
    with open(path, "rb") as file:
        summary = import_rna(file=file)
    assert summary.rows == 2000
    assert summary.malformed == counts["malformed"]
    assert sum(summary.problems.values()) == counts["malformed"]
    assert 0 < summary.candidates < counts["international"]
    names = "".join(RnaCandidate.objects.values_list("name", flat=True))
    assert "É" in names and "Ã" not in names  # decoded in the file's encoding
