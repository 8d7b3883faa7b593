"""compare_dedup: the metrics, the planted duplicates, both tools on a small sample."""

from bench import compare_dedup as cd


def test_pairwise_metrics_and_parts_on_a_hand_made_example():
    m = cd.metrics({(1, 2), (3, 4)}, {(1, 2), (1, 3)})
    assert (m["precision"], m["recall"], m["f1"]) == (0.5, 0.5, 0.5)
    # Records 1, 2 are one entity (even id: development), 3, 4 another (odd: held out), 5 alone.
    truth = {1: 2, 2: 2, 3: 3, 4: 3, 5: 5}
    figures = cd.by_part(truth, lambda t: [[1, 2], [3, 4, 5]] if t < 0.5 else [[1, 2]], (0.1, 0.9))
    assert figures[0.1]["development"]["f1"] == 1.0
    held = figures[0.1]["held_out"]
    assert (held["precision"], held["recall"]) == (round(1 / 3, 4), 1.0)
    assert figures[0.9]["held_out"]["recall"] == 0.0
    assert cd.choose(figures)[0] == 0.1


def test_planted_duplicates_are_deterministic_and_true_to_their_origin():
    base = cd.association_records(400, first_id=1, seed=7, communes=cd.communes_of(None))
    records, truth = cd.plant_duplicates(base, share=0.1, seed=7)
    again, truth_again = cd.plant_duplicates(base, share=0.1, seed=7)
    assert records == again and truth == truth_again
    planted = [r for r in records if r["id"] > 400]
    assert 10 <= len(planted) <= 80
    by_id = {r["id"]: r for r in base}
    for record in planted:
        origin = by_id[truth[record["id"]]]
        assert record["commune_id"] in (origin["commune_id"], None)
    assert all(truth[r["id"]] == r["id"] for r in base)


def test_contract_rows_compute_the_ratio_and_the_target():
    result = {
        "set": "s",
        "ours": {"held_out": {"f1": 0.9}, "seconds": 2.0},
        "splink": {"held_out": {"f1": 0.6}, "seconds": 4.0},
    }
    f1, seconds, limit = cd.rows_of(result, "Splink", linking_limit=120.0)
    assert (f1["ratio"], f1["met"], f1["target"]) == (1.5, True, ">= 1.0")
    assert (seconds["ratio"], seconds["met"]) == (0.5, True)
    assert limit["met"] and limit["theirs"] is None
    assert set(f1) == {"measure", "unit", "ours", "theirs", "tool", "ratio", "target", "met"}


def test_both_tools_find_the_planted_pairs_of_a_200_row_sample():
    from observatoire.deduplication.blocking import find_pairs

    base = cd.association_records(160, first_id=1, seed=3, communes=cd.communes_of(None))
    records, truth = cd.plant_duplicates(base, share=0.25, seed=3)
    assert 190 <= len(records) <= 215
    true = cd.true_pairs(truth, [r["id"] for r in records])
    found, _ = find_pairs([(r["id"], cd.description(r)) for r in records], min_score=0.8)
    ours = {(p.first_id, p.second_id) for p in found}
    run = cd.splink_run(records, min_probability=0.5, max_pairs=1e5)
    theirs = {(min(a, b), max(a, b)) for a, b, _p in run["scored"]}
    cd.close(run)
    assert ours & true and theirs & true
