"""The RNA (waldec) import: malformed rows, encodings, refreshes, atomicity."""

import io
from unittest import mock

import pytest

from observatoire.core.testing import make_organization
from observatoire.imports import rna
from observatoire.imports.models import RnaCandidate

HEADER = "id;siret;date_creat;date_disso;titre;objet;objet_social1;objet_social2;position"


def line(rna_id, title, code="020020", created="2004-05-06", siret="", position="A"):
    return f"{rna_id};{siret};{created};;{title};Solidarité;{code};000000;{position}"


def run(lines, encoding="utf-8"):
    data = ("\r\n".join([HEADER, *lines]) + "\r\n").encode(encoding)
    return rna.import_rna(file=io.BytesIO(data))


@pytest.mark.django_db
def test_each_malformed_row_is_left_out_with_its_reason():
    summary = run(
        [
            line("W791000001", "SOLIDARITÉ NIORT BURKINA"),
            line("W791000002", "AMIS DE DAKAR ; SECTION NORD"),  # one column too many
            "W791000003;;2004-05-06;;TRONQUÉE",  # too few
            line("W791000004", '"AMIS DE LOMÉ'),  # a quote that never closes
            line("W791000005", "DATE FAUSSE", created="2019-02-30"),
            line("W79", "NUMÉRO COURT"),
            line("W791000006", "ÉCHANGES HUÉ"),
            line("W791000007", "PÉTANQUE", code="011000"),
        ]
    )
    assert summary.rows == 8
    assert summary.malformed == 5
    assert summary.problems == {"columns": 2, "quote": 1, "date": 1, "rna": 1}
    assert [number for number, _message in summary.examples] == [3, 4, 5, 6, 7]
    assert set(RnaCandidate.objects.values_list("rna", flat=True)) == {"W791000001", "W791000006"}


@pytest.mark.django_db
def test_a_byte_foreign_to_utf8_spoils_its_row_only():
    rows = [line(f"W7910000{i:02d}", f"ÉCOLES DE KPALIMÉ {i}").encode() for i in range(40)]
    rows[3] = rows[3].replace("É".encode(), "É".encode("cp1252"), 1)  # early: in the sample
    data = b"\r\n".join([HEADER.encode(), *rows]) + b"\r\n"
    summary = rna.import_rna(file=io.BytesIO(data))
    assert summary.problems == {"encoding": 1}
    assert summary.candidates == 39
    # Read as UTF-8 despite the broken row, so the accents of the others are right.
    assert RnaCandidate.objects.get(rna="W791000000").name == "ÉCOLES DE KPALIMÉ 0"


@pytest.mark.django_db
def test_windows_1252_file():
    summary = run([line("W791000001", "COOPÉRATION HUÉ ŒUVRES")], encoding="cp1252")
    assert (summary.candidates, summary.malformed) == (1, 0)
    assert RnaCandidate.objects.get().name == "COOPÉRATION HUÉ ŒUVRES"


@pytest.mark.django_db
def test_quoted_cells_and_repeated_associations():
    summary = run(
        [
            'W791000001;;2004-05-06;;"AMIS ""DU MALI"" ; NORD";Solidarité;020020;000000;A',
            line("W791000001", "AMIS DU MALI (BIS)"),
        ]
    )
    assert (summary.candidates, summary.repeated, summary.malformed) == (1, 1, 0)
    assert RnaCandidate.objects.get().name == 'AMIS "DU MALI" ; NORD'


@pytest.mark.django_db
def test_refresh_keeps_state_and_match_and_matches_by_siret():
    organization = make_organization("Amitié Niort", siret="", rna="")
    organization.siret = "12345678901234"
    organization.save(update_fields=["siret"])
    run([line("W791000001", "AMITIÉ NIORT", siret="12345678901234"), line("W791000002", "B")])
    first = RnaCandidate.objects.get(rna="W791000001")
    assert first.matched_organization == organization
    RnaCandidate.objects.filter(rna="W791000002").update(state=RnaCandidate.State.DISMISSED)

    summary = run([line("W791000001", "AMITIÉ NIORT (NOUVEAU NOM)"), line("W791000002", "B2")])
    assert (summary.new, summary.refreshed, summary.matched) == (0, 2, 1)
    first.refresh_from_db()
    assert first.name == "AMITIÉ NIORT (NOUVEAU NOM)"
    assert first.matched_organization == organization  # kept though the SIRET left the file
    assert RnaCandidate.objects.get(rna="W791000002").state == RnaCandidate.State.DISMISSED


@pytest.mark.django_db(transaction=True)
def test_import_is_atomic():
    with (
        mock.patch.object(rna, "BATCH_SIZE", 2),
        mock.patch.object(rna, "_address", side_effect=[""] * 4 + [RuntimeError("boom")]),
        pytest.raises(RuntimeError),
    ):
        run([line(f"W79100000{i}", f"ASSO {i}") for i in range(6)])
    assert not RnaCandidate.objects.exists()
