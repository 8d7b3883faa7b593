"""Address normalisation, seats after a legal form, word weights and the grouping step."""

from observatoire.deduplication.blocking import (
    average_linkage,
    candidate_pairs,
    group_duplicates,
    prepare_items,
)
from observatoire.deduplication.matching import (
    Description,
    address_parts,
    build_features,
    name_key,
    score_codes,
    weigh_words,
)


def test_address_parts_normalise_street_types_directions_and_ordinals():
    assert address_parts("3014 W. 39th Place") == address_parts("3014 West 39th Pl")
    assert address_parts("12, rue de la Paix") == ("12", "rue paix")
    assert address_parts("12 r. de la paix") == ("12", "rue paix")
    assert address_parts("") == ("", "")


def test_same_address_needs_the_same_number():
    a = Description(name="Maison des Solidarités", address="4837 W. Erie", phone="0102030405")
    b = Description(name="Maison des Solidarites", address="4837 W Erie St")
    c = Description(name="Maison des Solidarites", address="4840 W Erie St")
    assert "address" in score_codes(build_features(a), build_features(b))[1]
    assert "addresses" in score_codes(build_features(a), build_features(c))[1]


def test_seat_after_the_legal_form_is_not_part_of_the_name():
    assert name_key("ACME B.V., Den Haag, NL") == name_key("Acme BV")
    assert name_key("Dupont SARL, Lyon") == "dupont"
    # No legal form before the comma: the whole name counts.
    assert name_key("Les Amis, Lyon") == "amis lyon"


def test_one_digit_numbers_stay_in_the_name_key():
    assert name_key("Learning Tree 1") != name_key("Learning Tree 2")


def test_rare_words_weigh_more_and_keep_network_sites_apart():
    names = [f"Réseau Solidarité Sahel {town}" for town in ("Niort", "Poitiers", "Melle")]
    items = [build_features(Description(name=name)) for name in names]
    unweighted = score_codes(items[0], items[1])[0]
    weigh_words(items)
    assert items[0].weights["niort"] > items[0].weights["sahel"]
    assert score_codes(items[0], items[1])[0] < unweighted


def test_average_linkage_does_not_chain_through_one_look_alike():
    scored = [(1, 2, 0.95), (2, 3, 0.85), (1, 3, 0.2)]
    assert sorted(map(sorted, average_linkage([1, 2, 3], scored, 0.8))) == [[1, 2]]
    # Connected components would have joined all three; a pair never compared does not count.
    scored = [(1, 2, 0.95), (2, 3, 0.85)]
    assert sorted(map(sorted, average_linkage([1, 2, 3], scored, 0.8))) == [[1, 2, 3]]


def test_group_duplicates_uses_the_finder_blocking():
    records = [
        (1, Description(name="Eau Vive Poitou", website="eauvive.org")),
        (2, Description(name="Association Eau Vive Poitou", website="https://eauvive.org")),
        (3, Description(name="Cités Unies France")),
    ]
    assert group_duplicates(records, min_score=0.8) == [[1, 2]]


def test_a_dismissed_pair_is_never_grouped_even_through_other_records():
    # 1–2 and 2–3 alike, 1–3 dismissed by staff as "not a duplicate": 3 stays out of 1's group.
    scored = [(1, 2, 0.95), (2, 3, 0.9), (1, 3, 0.85)]
    assert sorted(map(sorted, average_linkage([1, 2, 3], scored, 0.8))) == [[1, 2, 3]]
    groups = average_linkage([1, 2, 3], scored, 0.8, apart=[(3, 1)])
    assert sorted(map(sorted, groups)) == [[1, 2]]
    records = [
        (1, Description(name="Eau Vive Poitou", website="eauvive.org")),
        (2, Description(name="Association Eau Vive Poitou", website="https://eauvive.org")),
    ]
    assert group_duplicates(records, min_score=0.8, apart=[(1, 2)]) == []


def test_spellings_of_one_company_with_typos_and_split_words_are_grouped():
    # No shared word, no same prefix of the sorted words: only the name written without
    # spaces, from its beginning or its end, brings them together.
    names = [
        "SHELL INTERNATIONALE RESEARCH MAATSCHAPPIJ B.V.",
        "SHELL INTERNATIONALE RESEARCH MAATS CHAPPIJ B.V.",
        "SHELL INTENATIONALE RESEARCH MAATSCHAPPIJ B.V.",
        "SCHELL INTERNATIONALE RESEARCH MAATSCHAPPIJ BV",
        "Gist-Brocades N.V.",
    ]
    records = [(pk, Description(name=name)) for pk, name in enumerate(names, start=1)]
    assert group_duplicates(records, min_score=0.8) == [[1, 2, 3, 4]]


def test_variants_of_one_company_name_with_and_without_its_legal_suffix_are_grouped():
    names = ["Whirlpool Europe", "WHIRLPOOL EUROPE B.V.", "Whirlpool Europe BV, Veldhoven", "Acme"]
    records = [(pk, Description(name=name)) for pk, name in enumerate(names, start=1)]
    assert group_duplicates(records, min_score=0.8) == [[1, 2, 3]]


def test_many_copies_of_a_few_spellings_still_meet_each_other():
    """A block of hundreds of records (one applicant filed under a few spellings, each many
    times) is compared by name: every spelling meets the others, not only the copies of
    itself that sit next to it in name order."""
    spellings = [
        "Hunter Douglas Industries B.V.",
        "HUNTER DOUGLAS IND BV",
        "Hunter-Douglas Industries",
        "HUNTER DOUGLAS INDUSTRIES BV, ROTTERDAM",
        "Hunter Douglas Industrie",
    ]
    records = [(pk, Description(name=spellings[pk % len(spellings)])) for pk in range(1, 201)]
    items = prepare_items(records)
    pairs = candidate_pairs(items)
    spelling_pairs = {
        tuple(sorted((items[a].compact, items[b].compact)))
        for a, b in pairs
        if items[a].compact != items[b].compact
    }
    compacts = {item.compact for item in items.values()}
    assert len(spelling_pairs) == len(compacts) * (len(compacts) - 1) // 2
    # …without comparing the 19,900 pairs of the block.
    assert len(pairs) < 200 * 40
    assert sorted(map(sorted, group_duplicates(records, min_score=0.8))) == [list(range(1, 201))]


def test_a_legal_form_in_capitals_is_not_taken_for_an_acronym():
    item = build_features(Description(name="Whirlpool Europe B.V."))
    assert item.acronym_like == ()
    assert build_features(Description(name="Cités Unies France (C.U.F.)")).acronym_like == ("cuf",)


def test_more_foreign_legal_forms_are_no_part_of_the_name():
    assert name_key("BASF SE, Ludwigshafen") == name_key("BASF") == "basf"
    assert name_key("Merck KGaA") == name_key("MERCK")
    assert name_key("Acme Pty Ltd") == name_key("ACME")


def test_an_acronym_is_compared_with_the_names_whose_initials_start_with_it_only():
    records = [
        (1, Description(name="HSF Sud-Ouest")),
        (2, Description(name="Hydraulique Sans Frontières Sud-Ouest")),
        (3, Description(name="Habitat Solidaire Famille")),
        (4, Description(name="Hôpital Saint François")),
    ]
    items = prepare_items(records)
    pairs = candidate_pairs(items)
    assert (1, 2) in pairs and (1, 3) in pairs and (1, 4) in pairs
    records[0] = (1, Description(name="Cités Unies", acronym="HSFSO"))
    items = prepare_items(records)
    pairs = candidate_pairs(items)
    assert (1, 2) in pairs
    assert (1, 3) not in pairs and (1, 4) not in pairs


def test_two_large_groups_do_not_join_through_one_look_alike_pair():
    """Two organisations of many records each, compared through a single pair that happens to
    look alike: they join only if their records are alike as a whole."""
    scored = [(1, 2, 0.95), (3, 4, 0.95), (2, 3, 0.85)]
    assert sorted(map(sorted, average_linkage([1, 2, 3, 4], scored, 0.8))) == [[1, 2, 3, 4]]
    groups = average_linkage([1, 2, 3, 4], scored, 0.8, sampled_mean=lambda a, b: 0.4)
    assert sorted(map(sorted, groups)) == [[1, 2], [3, 4]]
    groups = average_linkage([1, 2, 3, 4], scored, 0.8, sampled_mean=lambda a, b: 0.9)
    assert sorted(map(sorted, groups)) == [[1, 2, 3, 4]]
