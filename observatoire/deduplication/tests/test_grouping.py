"""Address normalisation, seats after a legal form, word weights and the grouping step."""

from observatoire.deduplication.blocking import average_linkage, group_duplicates
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
