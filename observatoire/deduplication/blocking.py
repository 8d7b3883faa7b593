"""Candidate pairs for a whole register without comparing every pair: blocking.

Records that share a blocking key (an identifier, a domain, a phone, the same name, a rare word of
the name or a prefix of its sorted words in the same département, an acronym and the initials of
a name) are compared
with `score_features`; the others never are. A key shared by too many records (a common word)
is compared name by name (see `_compare_large_block`): the records of one name with each
other, and each name with the next few in name order.
"""

import gc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .matching import (
    Description,
    Features,
    build_features,
    score_codes,
    weigh_words,
)

MAX_BLOCK = 30
WINDOW = 3
RARE_WORDS = 1
# Names an acronym is compared with, at most (common initials in a big département).
MAX_PROBED = 300


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
        # The name written without spaces, from its start and from its end: words run
        # together or split ('Gist-Brocades', 'GISTBROCADES'; 'MAATS CHAPPIJ') and a slip in
        # the first word ('SCLUMBERGER') still meet.
        yield ("compact", place, item.compact[:8])
        yield ("suffix", place, item.compact[-8:])
    if item.address_number and item.address_street:
        # One street address: two records of one site under two names.
        yield ("address", item.postal_code, item.address_number, item.address_street[:12])
    if item.weights is not None:  # the rarest word weighs most (see weigh_words)
        weights = item.weights
        words = sorted({t for t in item.tokens if len(t) >= 3}, key=lambda t: (-weights[t], t))
    else:
        words = sorted({t for t in item.tokens if len(t) >= 3}, key=lambda t: (frequency[t], t))
    for word in words[:RARE_WORDS]:
        yield ("word", place, word)
    # An acronym ('HSF', or the acronym field) meets the names whose initials start with it:
    # names are filed under their initials, acronyms probe them (see candidate_pairs).
    for initials in item.initials:
        if len(initials) >= 2:
            yield ("initials", place, initials[:3])
    for token in item.acronym_like:
        yield ("acronym", place, token[:3])


def candidate_pairs(
    items: dict[int, Features], incoming: frozenset[int] | set[int] | None = None
) -> set[tuple[int, int]]:
    """The pairs of ids (smaller first) that share at least one blocking key.

    With `incoming`, only the pairs of one incoming record and one other (linking new records
    to a register): blocks without an incoming record are skipped, not compared.
    """
    frequency: Counter = Counter()
    if any(item.weights is None for item in items.values()):
        for item in items.values():
            frequency.update(set(item.tokens))
    blocks: dict[tuple, list[int]] = defaultdict(list)
    wanted = None
    if incoming is not None:
        # Only the keys an incoming record has (and the acronym and initials keys that probe
        # each other) can give a pair: the other records are filed under those alone.
        for pk in incoming:
            for key in set(blocking_keys(items[pk], frequency)):
                blocks[key].append(pk)
        wanted = set(blocks)
        for key in list(wanted):
            if key[0] in ("acronym", "initials"):
                wanted.add(("initials" if key[0] == "acronym" else "acronym", *key[1:]))
    for pk, item in items.items():
        if wanted is not None:
            if pk not in incoming:
                for key in set(blocking_keys(item, frequency)):
                    if key in wanted:
                        blocks[key].append(pk)
            continue
        for key in set(blocking_keys(item, frequency)):
            blocks[key].append(pk)
    pairs: set[tuple[int, int]] = set()
    for key, members in blocks.items():
        if key[0] == "initials":
            continue  # only probed by acronyms
        if (
            incoming is not None
            and incoming.isdisjoint(members)
            and (key[0] != "acronym" or incoming.isdisjoint(blocks.get(("initials", *key[1:]), ())))
        ):
            continue
        if key[0] == "acronym":
            # Acronyms against each other, and against the names whose initials start with
            # the whole acronym (the key holds its first three letters only).
            names = blocks.get(("initials", *key[1:]), [])
            for first in members:
                probes = [t for t in items[first].acronym_like if t[:3] == key[2]]
                matching = [
                    second
                    for second in names
                    if any(i.startswith(t) for i in items[second].initials for t in probes)
                ]
                for second in matching[:MAX_PROBED]:
                    if first != second:
                        pairs.add((first, second) if first < second else (second, first))
        if len(members) < 2:
            continue
        if len(members) <= MAX_BLOCK:
            ordered = sorted(members)
            for index, first in enumerate(ordered):
                for second in ordered[index + 1 :]:
                    pairs.add((first, second))
            continue
        _compare_large_block(members, items, pairs)
    if incoming is not None:
        pairs = {(a, b) for a, b in pairs if (a in incoming) != (b in incoming)}
    return pairs


def _compare_large_block(
    members: list[int], items: dict[int, Features], pairs: set[tuple[int, int]]
) -> None:
    """Pairs of a block too large to compare in full, by sorted neighbourhood over its names.

    A large block is mostly the same few names written many times (one company filed under
    hundreds of spellings, each repeated): comparing each record with the next few in name
    order would only compare copies of one name with each other, and two spellings would
    meet at the edge of their runs only. So the records of one name (one `compact` form) are
    compared among themselves, and the names with each other: every name with every other
    when there are few of them, else each with the next few in order, through the first record
    of each name.
    """
    runs: dict[str, list[int]] = defaultdict(list)
    for pk in sorted(members):
        runs[items[pk].compact].append(pk)
    for run in runs.values():
        if len(run) <= MAX_BLOCK:
            for index, first in enumerate(run):
                for second in run[index + 1 :]:
                    pairs.add((first, second))
        else:
            for index, first in enumerate(run):
                for second in run[index + 1 : index + 1 + WINDOW]:
                    pairs.add((first, second))
    firsts = [runs[name][0] for name in sorted(runs)]
    reach = len(firsts) if len(firsts) <= MAX_BLOCK else WINDOW
    for index, first in enumerate(firsts):
        for second in firsts[index + 1 : index + 1 + reach]:
            pairs.add((first, second) if first < second else (second, first))


@contextmanager
def collector_paused():
    """Python's cycle collector off while hundreds of thousands of records are prepared and
    paired: it rescanned them again and again (a quarter of the preparing time at 200,000)
    although they hold no reference cycle, so plain reference counting frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def prepare_items(
    descriptions: Iterable[tuple[int, Description]], *, weigh: bool = True
) -> dict[int, Features]:
    """Each record prepared once for the comparisons (`weigh`: with its words' weights)."""
    with collector_paused():
        items = {pk: build_features(description) for pk, description in descriptions}
        if weigh:
            weigh_words(items.values())
    return items


# Above this many records the scoring is shared between processes (one per core, two at most:
# the finder must leave the web server some room).
PARALLEL_FROM = 50_000
_ITEMS: dict[int, Features] = {}
_PAIRS: list[tuple[int, int]] = []


def _score_range(args) -> list[tuple[int, int, float, list[str]]]:
    start, end, min_score = args
    found = []
    items = _ITEMS
    for first, second in _PAIRS[start:end]:
        score, codes = score_codes(items[first], items[second], min_score)
        if score >= min_score:
            found.append((first, second, score, codes))
    return found


def _score_all(min_score: float, workers: int):
    if workers <= 1:
        return _score_range((0, len(_PAIRS), min_score))
    import multiprocessing

    # Forked workers read the prepared records and the pairs from the parent's memory (only
    # the matches travel back); they touch no database connection and leave with os._exit,
    # so the parent's connection stays sound.
    size = len(_PAIRS) // workers + 1
    ranges = [(start, start + size, min_score) for start in range(0, len(_PAIRS), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [found for part in pool.map(_score_range, ranges) for found in part]


def find_pairs(
    descriptions: Iterable[tuple[int, Description]],
    *,
    min_score: float,
    workers: int | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[list[FoundPair], int]:
    """Pairs scoring at least `min_score`, and how many pairs were compared."""
    import time

    timings = {} if timings is None else timings
    started = time.perf_counter()
    items = prepare_items(descriptions)
    timings["prepare"] = round(time.perf_counter() - started, 2)
    return _block_and_score(items, None, min_score, workers, timings)


def link_pairs(
    incoming: Iterable[tuple[int, Description]],
    reference: Iterable[tuple[int, Description]],
    *,
    min_score: float,
    workers: int | None = None,
    timings: dict[str, float] | None = None,
    weigh: bool = True,
) -> tuple[list[FoundPair], int]:
    """Pairs of an incoming record and a reference one scoring at least `min_score`, and how
    many pairs were compared: the finder's blocking and scoring, for a whole file at once.

    The ids of the two sides must differ. Word weights come from both sides together; without
    `weigh`, pairs are scored as `find_matches` scores them (no weights).
    """
    import time

    timings = {} if timings is None else timings
    incoming = list(incoming)
    started = time.perf_counter()
    items = prepare_items([*incoming, *reference], weigh=weigh)
    new_ids = frozenset(pk for pk, _description in incoming)
    timings["prepare"] = round(time.perf_counter() - started, 2)
    return link_items(items, new_ids, min_score=min_score, workers=workers, timings=timings)


def link_items(
    items: dict[int, Features],
    new_ids: frozenset[int],
    *,
    min_score: float,
    workers: int | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[list[FoundPair], int]:
    """`link_pairs` on prepared records: those of `new_ids` against the others."""
    timings = {} if timings is None else timings
    found, compared = _block_and_score(items, new_ids, min_score, workers, timings)
    # The incoming record first.
    for pair in found:
        if pair.first_id not in new_ids:
            pair.first_id, pair.second_id = pair.second_id, pair.first_id
    return found, compared


def _block_and_score(items, incoming, min_score, workers, timings):
    import time

    with collector_paused():  # as in prepare_items: hundreds of thousands of pairs
        started = time.perf_counter()
        pairs = list(candidate_pairs(items, incoming))
        timings["blocking"] = round(time.perf_counter() - started, 2)
        return _score_pairs(items, pairs, min_score, workers, timings)


def _score_pairs(items, pairs, min_score, workers, timings):
    global _ITEMS, _PAIRS
    import os
    import time

    started = time.perf_counter()
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(items) >= PARALLEL_FROM else 1
    _ITEMS, _PAIRS = items, pairs
    try:
        scored = _score_all(min_score, workers)
    finally:
        _ITEMS, _PAIRS = {}, []
    found = [FoundPair(first, second, score, codes) for first, second, score, codes in scored]
    found.sort(key=lambda p: (-p.score, p.first_id, p.second_id))
    timings["scoring"] = round(time.perf_counter() - started, 2)
    return found, len(pairs)


# Grouping --------------------------------------------------------------------------------------


def average_linkage(
    ids: Iterable[int],
    scored: Iterable[tuple[int, int, float]],
    threshold: float,
    apart: Iterable[tuple[int, int]] = (),
    sampled_mean: Callable[[list[int], list[int]], float] | None = None,
) -> list[list[int]]:
    """Groups of records from scored pairs, by average linkage over the pairs that were compared.

    Joining every pair above the threshold (connected components) chains unrelated records
    through one look-alike each (three sites of a network, two towns and their twinning
    committee). Here two groups join only while the mean score of the pairs compared between
    them stays at or above `threshold`; pairs never compared (another block) count for nothing
    either way. Two records of a pair in `apart` (staff said "not a duplicate") never end in
    one group, whatever the records around them. Returns the groups of two records or more.

    The blocking compares the records of two large groups through a few pairs only, and one
    look-alike pair among them would join two organisations of hundreds of records each.
    `sampled_mean(first_members, second_members)`, when given, is the mean score over a sample
    of all the pairs between two groups: they join only if it also reaches `threshold`.
    """
    import heapq

    members: dict[int, list[int]] = {pk: [pk] for pk in ids}
    # For each group, the groups it must not join (through one of its records).
    kept_apart: dict[int, set[int]] = defaultdict(set)
    for first, second in apart:
        if first != second and first in members and second in members:
            kept_apart[first].add(second)
            kept_apart[second].add(first)
    links: dict[int, dict[int, list[float]]] = defaultdict(dict)
    heap: list[tuple[float, int, int]] = []
    for first, second, score in scored:
        if first == second or second in links[first]:
            continue
        link = [score, 1]
        links[first][second] = links[second][first] = link
        if score >= threshold:
            heap.append((-score, first, second))
    heapq.heapify(heap)
    while heap:
        negative, first, second = heapq.heappop(heap)
        if first not in members or second not in members:
            continue
        link = links[first].get(second)
        if link is None or abs(link[0] / link[1] + negative) > 1e-9:
            continue  # a stale entry: the groups have changed since
        if second in kept_apart.get(first, ()):
            continue  # these two groups stay apart, so the pair of them is never taken again
        if (
            sampled_mean is not None
            and link[1] < len(members[first]) * len(members[second])
            and sampled_mean(members[first], members[second]) < threshold
        ):
            continue  # alike through the pairs compared, not as a whole
        if len(members[first]) < len(members[second]):
            first, second = second, first
        members[first].extend(members.pop(second))
        if second in kept_apart:
            for other in kept_apart.pop(second):
                kept_apart[other].discard(second)
                kept_apart[other].add(first)
                kept_apart[first].add(other)
        del links[first][second]
        for other, (total, count) in links.pop(second).items():
            if other == first:
                continue
            del links[other][second]
            merged = links[first].get(other)
            if merged is None:
                merged = links[first][other] = links[other][first] = [0.0, 0]
            merged[0] += total
            merged[1] += count
            mean = merged[0] / merged[1]
            if mean >= threshold:
                heapq.heappush(heap, (-mean, first, other))
    return [group for group in members.values() if len(group) > 1]


def group_duplicates(
    descriptions: Iterable[tuple[int, Description]],
    *,
    min_score: float,
    apart: Iterable[tuple[int, int]] = (),
) -> list[list[int]]:
    """Groups of records that are probably one organisation each (see `average_linkage`).

    Uses the finder's blocking; every candidate pair is scored in full (not stopped early),
    so that the low scores inside a chain are known. `apart`: pairs dismissed as "not a
    duplicate", never grouped.
    """
    with collector_paused():
        items = prepare_items(descriptions)
        scores = {
            (first, second): score_codes(items[first], items[second])[0]
            for first, second in candidate_pairs(items)
        }
        return group_scored(items, scores, min_score, apart)


def group_scored(
    items: dict[int, Features],
    scores: dict[tuple[int, int], float],
    threshold: float,
    apart: Iterable[tuple[int, int]] = (),
) -> list[list[int]]:
    """`group_duplicates` on prepared records and the scores of their candidate pairs (ids
    smaller first); the scores of the pairs sampled between groups are added to `scores`."""
    scored = [(first, second, score) for (first, second), score in scores.items()]

    def sampled_mean(first_members: list[int], second_members: list[int]) -> float:
        """Mean score between two groups, over their most common names (each name counted
        as often as it is written)."""
        total = weight = 0.0
        for first, first_count in _common_names(first_members, items):
            for second, second_count in _common_names(second_members, items):
                key = (first, second) if first < second else (second, first)
                score = scores.get(key)
                if score is None:
                    score = scores[key] = score_codes(items[first], items[second])[0]
                total += score * first_count * second_count
                weight += first_count * second_count
        return total / weight

    return average_linkage(items, scored, threshold, apart, sampled_mean)


# Names of a group compared when two groups may join (their most common names).
SAMPLED_NAMES = 8


def _common_names(members: list[int], items: dict[int, Features]) -> list[tuple[int, int]]:
    """The group's most common names: (the first record of each, how many records have it)."""
    names: dict[str, list[int]] = {}
    for pk in members:
        found = names.get(items[pk].compact)
        if found is None:
            names[items[pk].compact] = [pk, 1]
        else:
            found[0] = min(found[0], pk)
            found[1] += 1
    common = sorted(names.items(), key=lambda item: (-item[1][1], item[0]))[:SAMPLED_NAMES]
    return [(pk, count) for _name, (pk, count) in common]
