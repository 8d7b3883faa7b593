"""Linking a file of new records to a register at once (`blocking.link_pairs`)."""

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


def _varied_register(count: int) -> tuple[list, list]:
    """A register with names that repeat words, acronyms, identifiers and addresses, and an
    incoming file of copies, slips, acronyms and new names."""
    words = ["Solidarité", "Niger", "Bretagne", "Eau", "Burkina", "Amis", "Jumelage", "Mali"]
    register, incoming = [], []
    for index in range(count):
        name = f"{words[index % 8]} {words[(index * 3) % 8]} {words[(index * 5 + 1) % 8]} {index}"
        register.append(
            (
                index + 1,
                Description(
                    name=name,
                    acronym="ASN" if index % 50 == 0 else "",
                    siren=f"{100000000 + index}" if index % 7 == 0 else "",
                    address=f"{index % 40} rue de la Paix" if index % 11 == 0 else "",
                    postal_code="35000",
                    departement_id=35 + index % 3,
                ),
            )
        )
    for index in range(0, count, 9):
        name = register[index][1].name
        incoming.append(
            (
                100_000 + index,
                Description(
                    name=name.replace("é", "e") if index % 2 else name + " association",
                    siren=register[index][1].siren,
                    departement_id=register[index][1].departement_id,
                ),
            )
        )
    incoming.append((200_000, Description(name="ASN", departement_id=35)))
    incoming.append((200_001, Description(name="Association sans nom connu", departement_id=36)))
    return incoming, register


def test_linking_with_forked_workers_finds_the_same_pairs_as_in_one_process():
    incoming, register = _varied_register(1200)
    alone, compared_alone = link_pairs(incoming, register, min_score=0.0, workers=1)
    shared, compared_shared = link_pairs(incoming, register, min_score=0.0, workers=2)
    assert compared_shared == compared_alone > 0
    assert [(p.first_id, p.second_id, p.score, p.reasons) for p in shared] == [
        (p.first_id, p.second_id, p.score, p.reasons) for p in alone
    ]
    assert any(p.first_id == 200_000 for p in alone)  # the acronym probed the names


def test_forked_workers_send_back_only_the_register_records_an_incoming_key_files():
    from observatoire.deduplication.blocking import _linking_items_in_parallel

    incoming, register = _varied_register(1200)
    items = _linking_items_in_parallel(incoming, register, 2)
    assert items is not None
    assert len(incoming) < len(items) < len(incoming) + len(register)
    new_ids = frozenset(pk for pk, _description in incoming)
    every = prepare_items([*incoming, *register])
    assert candidate_pairs(items, new_ids) == candidate_pairs(every, new_ids)
    assert all(items[pk].weights == every[pk].weights for pk in items)
