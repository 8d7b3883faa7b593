"""Candidate pairs for a whole register without comparing every pair: blocking.

Records that share a blocking key (an identifier, a domain, a phone, the same name, a rare word of
the name or a prefix of its sorted words in the same département, an acronym and the initials of
a name) are compared
with `score_features`; the others never are. A key shared by too many records (a common word)
is compared by sorted neighbourhood only: each record with the next few in name order.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .matching import Description, Features, build_features, score_codes, translate_reasons

MAX_BLOCK = 30
WINDOW = 4
RARE_WORDS = 2


@dataclass
class FoundPair:
    first_id: int
    second_id: int
    score: float
    reasons: list[str]


def blocking_keys(item: Features, frequency: Counter) -> Iterator[tuple]:
    """The keys under which a record is filed: records sharing one are compared."""
    place = item.departement_id or "-"
    for kind, value in (
        ("rna", item.rna),
        ("siren", item.siren),
        ("siret", item.siret),
        ("web", item.web),
        ("mail", item.mail),
        ("tel", item.phone),
    ):
        if value:
            yield (kind, value)
    if item.key:
        yield ("name", item.key)
        yield ("sorted", place, "".join(sorted(item.tokens))[:6])
    words = sorted({t for t in item.tokens if len(t) >= 3}, key=lambda t: (frequency[t], t))
    for word in words[:RARE_WORDS]:
        yield ("word", place, word)
    # An acronym ('HSF', or the acronym field) meets the names whose initials start with it.
    for initials in item.initials:
        if len(initials) >= 2:
            yield ("acronym", place, initials[:3])
    for token in item.acronym_like:
        yield ("acronym", place, token[:3])


def candidate_pairs(items: dict[int, Features]) -> set[tuple[int, int]]:
    """The pairs of ids (smaller first) that share at least one blocking key."""
    frequency: Counter = Counter()
    for item in items.values():
        frequency.update(set(item.tokens))
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for pk, item in items.items():
        for key in set(blocking_keys(item, frequency)):
            blocks[key].append(pk)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            ordered = sorted(members)
            for index, first in enumerate(ordered):
                for second in ordered[index + 1 :]:
                    pairs.add((first, second))
            continue
        ordered = sorted(members, key=lambda pk: (items[pk].compact, pk))
        for index, first in enumerate(ordered):
            for second in ordered[index + 1 : index + 1 + WINDOW]:
                pairs.add((first, second) if first < second else (second, first))
    return pairs


def find_pairs(
    descriptions: Iterable[tuple[int, Description]], *, min_score: float
) -> tuple[list[FoundPair], int]:
    """Pairs scoring at least `min_score`, and how many pairs were compared."""
    items = {pk: build_features(description) for pk, description in descriptions}
    pairs = candidate_pairs(items)
    found = []
    for first, second in pairs:
        score, codes = score_codes(items[first], items[second], min_score)
        if score >= min_score:
            found.append(FoundPair(first, second, score, translate_reasons(codes)))
    found.sort(key=lambda p: (-p.score, p.first_id, p.second_id))
    return found, len(pairs)
