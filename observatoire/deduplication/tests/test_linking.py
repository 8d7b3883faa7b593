"""Linking a file of new records to a register at once (`blocking.link_pairs`)."""

import pytest

from observatoire.deduplication.blocking import (
    candidate_pairs,
    find_pairs,
    link_pairs,
    prepare_items,
)
from observatoire.deduplication.matching import Description

REGISTER = [
    (
        1,
        Description(
            name="Association Solidarité Niger Bretagne", postal_code="35000", departement_id=35
        ),
    ),
    (2, Description(name="Association Solidarite Niger Bretagne", departement_id=35)),
    (3, Description(name="Comité de jumelage Vitré–Tiébissou", departement_id=35)),
    (4, Description(name="Frères des Hommes", acronym="FDH", departement_id=75)),
    (5, Description(name="Ville de Rennes", siren="213502388", departement_id=35)),
]
INCOMING = [
    (101, Description(name="Solidarité Niger Bretagne", departement_id=35)),
    (102, Description(name="FDH", departement_id=75)),
    (103, Description(name="Mairie de Rennes", siren="213502388", departement_id=35)),
    (104, Description(name="Association Solidarite Niger Bretagne", departement_id=35)),
    (105, Description(name="Amis du Burkina Lorient", departement_id=56)),
]


def test_links_join_an_incoming_record_to_a_register_one_never_two_of_a_side():
    found, compared = link_pairs(INCOMING, REGISTER, min_score=0.8)
    links = {(p.first_id, p.second_id) for p in found}
    assert (101, 1) in links and (101, 2) in links
    assert (103, 5) in links
    assert all(first > 100 and second < 100 for first, second in links)
    assert not any(first == 105 for first, _second in links)
    assert compared >= len(links)


def test_acronym_of_an_incoming_record_probes_the_register_names():
    found, _compared = link_pairs(INCOMING, REGISTER, min_score=0.0)
    assert (102, 4) in {(p.first_id, p.second_id) for p in found}


def test_links_are_the_cross_pairs_the_finder_would_find_on_both_sides():
    found, _ = find_pairs([*INCOMING, *REGISTER], min_score=0.8)
    cross = {
        (p.first_id, p.second_id) if p.first_id > 100 else (p.second_id, p.first_id)
        for p in found
        if (p.first_id > 100) != (p.second_id > 100)
    }
    linked, _ = link_pairs(INCOMING, REGISTER, min_score=0.8)
    assert {(p.first_id, p.second_id) for p in linked} == cross


def test_blocks_without_an_incoming_record_are_not_compared():
    items = prepare_items(REGISTER + INCOMING)
    assert candidate_pairs(items, frozenset({105})) == set()
    assert (1, 2) not in candidate_pairs(items, frozenset({101, 104}))


def test_a_register_acronym_probes_the_incoming_names():
    register = [(1, Description(name="HSF", departement_id=75))]
    incoming = [(101, Description(name="Hydrauliques Sans Frontières", departement_id=75))]
    found, compared = link_pairs(incoming, register, min_score=0.0)
    assert compared == 1
    assert [(p.first_id, p.second_id) for p in found] == [(101, 1)]


def test_the_cycle_collector_is_back_on_after_linking_even_when_it_fails():
    import gc

    link_pairs(INCOMING, REGISTER, min_score=0.8)
    assert gc.isenabled()
    with pytest.raises(AttributeError):
        link_pairs([(101, None)], REGISTER, min_score=0.8)  # not a description
    assert gc.isenabled()
