"""The `make bench` runner: its table, its results file and its README section."""

import json

from bench import run_national

SEARCH = {
    "comparison": "search",
    "title": "Directory search",
    "rows": [
        {
            "measure": "JSON over HTTP, p95",
            "unit": "ms",
            "ours": 41.25,
            "theirs": 63.0,
            "tool": "Datasette 0.65.5",
            "ratio": 0.65,
            "target": "<= 0.8",
            "met": True,
        },
        {
            "measure": "annual report PDF",
            "unit": "s",
            "ours": 1234.5,
            "theirs": None,
            "tool": None,
            "ratio": None,
            "target": None,
            "met": None,
        },
    ],
}


def test_table_has_one_line_per_figure_in_french_notation():
    lines = run_national.table([SEARCH, {"comparison": "dedup", "error": "exit code 2"}])
    rows = lines.splitlines()[2:]
    assert rows[0] == (
        "| search | JSON over HTTP, p95 | 41,2 ms | 63 ms | Datasette 0.65.5 | 0,65 "
        "| <= 0.8 | oui |"
    )
    # No competitor: dashes, and no unit glued to a dash.
    assert rows[1] == "| search | annual report PDF | 1\u202f234 s | – | – | – | – | – |"
    assert rows[2].startswith("| dedup | échec du script (exit code 2)")


def test_results_of_the_same_day_are_kept_side_by_side(tmp_path):
    first = {"date": "2026-11-24", "comparisons": [SEARCH], "n": 1}
    second = {"date": "2026-11-24", "comparisons": [], "n": 2}
    run_national.write_results(first, tmp_path)
    path = run_national.write_results(second, tmp_path)
    assert path.name == "2026-11-24.json"
    assert [run["n"] for run in json.loads(path.read_text())["runs"]] == [1, 2]


def _record():
    return {
        "date": "2026-11-24",
        "commit": "abc1234",
        "seed": 1901,
        "quick": False,
        "dataset": {"organizations": 200000},
        "machine": {"cores": 2, "cpu": "EPYC", "ram": "23.5 GiB", "load_average_at_start": [0.5]},
        "comparisons": [SEARCH],
    }


def test_readme_table_is_replaced_between_the_markers_only(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# Titre\n\n{run_national.README_START}\nancien tableau\n{run_national.README_END}\n"
        "## Suite\n"
    )
    assert run_national.update_readme(readme, _record())
    text = readme.read_text()
    assert "ancien tableau" not in text
    assert "200\u202f000 organisations" in text
    assert "| search | JSON over HTTP, p95 |" in text
    assert text.startswith("# Titre\n") and text.endswith("## Suite\n")


def test_readme_without_markers_is_left_alone(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Titre\n")
    assert not run_national.update_readme(readme, _record())
    assert readme.read_text() == "# Titre\n"


def test_a_failing_comparison_is_recorded_and_the_others_go_on(tmp_path, monkeypatch):
    broken = tmp_path / "compare_broken.py"
    broken.write_text("import sys\nsys.exit(3)\n")
    monkeypatch.setattr(run_national, "BENCH_DIR", tmp_path)
    args = run_national.parse_args(["--quick"])
    result = run_national.run_comparison("broken", args, tmp_path / "broken.json")
    assert result["error"] == "exit code 3"
    assert result["rows"] == []


def test_unknown_comparison_is_refused(capsys):
    try:
        run_national.parse_args(["--only", "search,typo"])
    except SystemExit as exit:
        assert exit.code == 2
    else:
        raise AssertionError("an unknown comparison was accepted")
    assert "typo" in capsys.readouterr().err


def test_options_passed_to_one_comparison_reach_its_command_only(tmp_path, monkeypatch):
    echo = tmp_path / "compare_echo.py"
    echo.write_text(
        "import json, sys\n"
        "out = sys.argv[sys.argv.index('--output') + 1]\n"
        "json.dump({'comparison': 'echo', 'rows': [], 'argv': sys.argv[1:]}, open(out, 'w'))\n"
    )
    monkeypatch.setattr(run_national, "BENCH_DIR", tmp_path)
    monkeypatch.setattr(run_national, "COMPARISONS", ("echo", "other"))
    args = run_national.parse_args(["-n", "20000", "--pass", "echo=--encoding utf-8 --rounds 1"])
    result = run_national.run_comparison("echo", args, tmp_path / "echo.json")
    assert result["argv"][-5:] == ["20000", "--encoding", "utf-8", "--rounds", "1"]
    other = run_national.parse_args(["--pass", "echo=--rounds 1"])
    assert other.extra.get("other") is None


def test_a_partial_run_keeps_the_latest_earlier_rows_of_the_other_comparisons(tmp_path):
    dedup = {"comparison": "dedup", "rows": [dict(SEARCH["rows"][0], measure="F1 ancien")]}
    newer_dedup = {"comparison": "dedup", "rows": [dict(SEARCH["rows"][0], measure="F1 récent")]}
    quick = dict(_record(), quick=True, comparisons=[dict(dedup, rows=[])])
    full = dict(_record(), date="2026-11-23", commit="old1111", comparisons=[SEARCH, dedup])
    later = dict(_record(), commit="mid2222", comparisons=[newer_dedup])
    for run in (full, later, quick):
        run_national.write_results(run, tmp_path)
    partial = dict(_record(), commit="new3333", comparisons=[{"comparison": "pages", "rows": []}])
    run_national.write_results(partial, tmp_path)
    partial = json.loads((tmp_path / "2026-11-24.json").read_text())["runs"][-1]
    earlier = run_national.earlier_comparisons(tmp_path, partial)
    assert [(run["commit"], result["comparison"]) for run, result in earlier] == [
        ("old1111", "search"),
        ("mid2222", "dedup"),
    ]
    readme = tmp_path / "README.md"
    readme.write_text(f"{run_national.README_START}\n{run_national.README_END}\n")
    assert run_national.update_readme(readme, partial, earlier)
    text = readme.read_text()
    assert "commit `new3333`" in text
    assert "« search » vient d'une exécution antérieure : 2026-11-23, commit `old1111`" in text
    assert "| dedup | F1 récent |" in text and "F1 ancien" not in text
    assert text.index("| search |") < text.index("| dedup |")


def test_earlier_rows_of_another_dataset_size_are_not_borrowed(tmp_path):
    other = dict(_record(), dataset={"organizations": 20000})
    run_national.write_results(other, tmp_path)
    partial = dict(_record(), comparisons=[])
    assert run_national.earlier_comparisons(tmp_path, partial) == []
