"""compare_import: the result rows it builds, and what sqlite-utils does with malformed rows."""

import shutil

import pytest

from bench import compare_import, national_rna


def _run(seconds, peak, returncode=0, stored=1000):
    return {"seconds": seconds, "peak_mib": peak, "returncode": returncode,
            "rows_stored": stored}  # fmt: skip


def test_rows_follow_the_contract():
    part = {"runs": {
        "utf-8": {"ours": _run(30.0, 200.0), "theirs": _run(20.0, 40.0)},
        "utf-8-malformed": {"ours": _run(29.0, 200.0), "theirs": _run(0.1, 16.0, 1, 0)},
    }}  # fmt: skip
    rows = compare_import.rows_of("PostgreSQL", "psql \\copy", part, 1000)
    assert [r["unit"] for r in rows] == ["s", "rows/s", "MiB", "s"]
    time, speed, memory, malformed = rows
    assert (time["ratio"], time["met"]) == (1.5, True)
    assert (speed["ours"], speed["theirs"], speed["ratio"]) == (33, 50, 0.67)
    assert memory["met"] is True and memory["ratio"] == 5.0
    assert malformed["theirs"] is None and malformed["met"] is None
    assert "fails, 0 rows stored" in malformed["measure"]
    for row in rows:
        assert set(row) == {"measure", "unit", "ours", "theirs", "tool", "ratio", "target", "met"}


def test_slow_ours_misses_the_target():
    part = {"runs": {"cp1252": {"ours": _run(50.0, 1100.0), "theirs": _run(20.0, 40.0)}}}
    time, speed, memory = compare_import.rows_of("SQLite", "sqlite-utils", part, 1000)
    assert (time["ratio"], time["met"], speed["met"], memory["met"]) == (2.5, False, False, False)


@pytest.mark.skipif(not shutil.which("sqlite-utils", path=compare_import.sys.prefix + "/bin"),
                    reason="the bench extra is not installed")  # fmt: skip
def test_sqlite_utils_stops_at_the_first_foreign_byte(tmp_path):
    path = tmp_path / "rna.csv"
    counts = national_rna.write_rna_csv(path, 300, malformed_share=0.2)
    assert counts["kinds"]["invalid_bytes"]
    result = compare_import.sqlite_utils(path, "utf-8", tmp_path / "theirs.sqlite3")
    assert result["returncode"] != 0
    assert result["rows_stored"] < 300
    assert result["peak_mib"] > 0
