"""Reads of the reference data: finding a commune from what an address or a register gives."""

import bisect
import re
import threading
from dataclasses import dataclass

from observatoire.core.text import fold

from .models import Commune

# Paris, Lyon and Marseille are stored as one commune each; their municipal arrondissements
# (INSEE codes 75101-75120, 69381-69389, 13201-13216, as in SIRENE) map to it.
_ARRONDISSEMENTS = (
    (75101, 75120, "75056"),
    (69381, 69389, "69123"),
    (13201, 13216, "13055"),
)
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_ORDINAL = re.compile(r"^\d+(e|er|eme|ere|em)?$")
_NOISE_WORDS = {"arrondissement", "arr"}


def commune_name_key(value: str) -> str:
    """The form two commune names are compared in: 'ST-ÉTIENNE CEDEX 2' → 'saint etienne'."""
    words = []
    for word in fold(value).replace(".", " ").replace("@", " ").split():
        if word == "cedex":
            break  # "BORDEAUX CEDEX 9": what follows is a delivery office
        if _ORDINAL.match(word) or word in _NOISE_WORDS:
            continue  # postal codes and arrondissement numbers: "PARIS 15", "Lyon 3e"
        words.append(_ABBREVIATIONS.get(word, word))
    return " ".join(words)


def _insee_code_key(value: str) -> str:
    code = value.strip().upper()
    if code.isdigit():
        number = int(code)
        for first, last, commune in _ARRONDISSEMENTS:
            if first <= number <= last:
                return commune
    return code


def _postal_code_key(value: str) -> str:
    code = "".join(value.split())
    # A spreadsheet drops the leading zero of "01000".
    return code.zfill(5) if code.isdigit() and len(code) == 4 else code


def _departements_of_postal_code(postal_code: str) -> set[str]:
    if len(postal_code) != 5 or not postal_code.isdigit():
        return set()
    if postal_code.startswith("20"):
        return {"2A", "2B"}
    if postal_code.startswith("97"):
        return {postal_code[:3]}
    return {postal_code[:2]}


@dataclass(frozen=True)
class _CommuneIndex:
    """The communes' names and postal codes in memory: ~35,000 rows, a few megabytes."""

    by_insee_code: dict[str, int]
    by_name: dict[str, list[int]]
    by_postal_code: dict[str, list[int]]
    departement_of: dict[int, str]
    sorted_names: list[tuple[str, int]]
    sorted_postal_codes: list[tuple[str, int]]


_index: _CommuneIndex | None = None
_index_lock = threading.Lock()


def _commune_index() -> _CommuneIndex:
    # The communes only change when the shipped data is reloaded, so one index per process
    # serves every lookup; it turns an import of thousands of rows into dictionary reads.
    global _index
    if _index is not None:
        return _index
    with _index_lock:
        if _index is not None:
            return _index
        by_insee_code: dict[str, int] = {}
        by_name: dict[str, list[int]] = {}
        by_postal_code: dict[str, list[int]] = {}
        departement_of: dict[int, str] = {}
        rows = Commune.objects.values_list(
            "pk", "insee_code", "name", "postal_codes", "departement__code"
        )
        for pk, insee_code, name, postal_codes, departement_code in rows.iterator(chunk_size=5000):
            by_insee_code[insee_code] = pk
            by_name.setdefault(commune_name_key(name), []).append(pk)
            for postal_code in postal_codes.split():
                by_postal_code.setdefault(postal_code, []).append(pk)
            departement_of[pk] = departement_code
        index = _CommuneIndex(
            by_insee_code=by_insee_code,
            by_name=by_name,
            by_postal_code=by_postal_code,
            departement_of=departement_of,
            sorted_names=sorted((key, pk) for key, pks in by_name.items() for pk in pks),
            sorted_postal_codes=sorted(
                (code, pk) for code, pks in by_postal_code.items() for pk in pks
            ),
        )
        if by_insee_code:  # an empty table (a flushed test database) is not worth keeping
            _index = index
        return index


def communes_index_clear() -> None:
    """Forget the in-memory commune index, after the communes were reloaded."""
    global _index
    with _index_lock:
        _index = None


def _commune_get(pk: int | None) -> Commune | None:
    if pk is None:
        return None
    return Commune.objects.select_related("departement__region").filter(pk=pk).first()


def commune_find(*, postal_code: str = "", name: str = "", insee_code: str = "") -> Commune | None:
    """The one commune an INSEE code, or a postal code and/or a name, designate; None if unsure.

    Names match whatever their case, accents and punctuation, "St"/"Ste" for "Saint"/"Sainte",
    with CEDEX suffixes and arrondissement numbers ignored ("PARIS CEDEX 15" is Paris). An
    INSEE code decides alone; a municipal arrondissement's code gives its city.
    """
    return _commune_get(commune_find_pk(postal_code=postal_code, name=name, insee_code=insee_code))


def commune_find_pk(*, postal_code: str = "", name: str = "", insee_code: str = "") -> int | None:
    """The primary key of the one commune these designate, None if unsure (no query).

    See `commune_find`, which loads the commune: imports look it up in memory instead.
    """
    index = _commune_index()
    if insee_code.strip():
        return index.by_insee_code.get(_insee_code_key(insee_code))

    postal_code = _postal_code_key(postal_code)
    name_key = commune_name_key(name)
    candidates = index.by_postal_code.get(postal_code, []) if postal_code else []
    if not name_key:
        return candidates[0] if len(candidates) == 1 else None

    named = index.by_name.get(name_key, [])
    if not postal_code:
        return named[0] if len(named) == 1 else None
    matches = [pk for pk in candidates if pk in named]
    if len(matches) == 1:
        return matches[0]
    if not matches and len(candidates) == 1:
        # A postal code served by one commune wins over a locality or former-commune name.
        return candidates[0]
    if not matches:
        # A CEDEX or company postal code is in no list, but it still gives the département.
        departements = _departements_of_postal_code(postal_code)
        in_departement = [pk for pk in named if index.departement_of[pk] in departements]
        if len(in_departement) == 1:
            return in_departement[0]
    return None


def _prefix_matches(sorted_pairs: list[tuple[str, int]], prefix: str, limit: int) -> list[int]:
    pks: dict[int, None] = {}  # ordered and without repeats: a commune has several codes
    position = bisect.bisect_left(sorted_pairs, (prefix, -1))
    while position < len(sorted_pairs) and len(pks) < limit:
        key, pk = sorted_pairs[position]
        if not key.startswith(prefix):
            break
        pks[pk] = None
        position += 1
    return list(pks)


def communes_search(*, term: str, limit: int = 20) -> list[Commune]:
    """Communes whose name or a postal code starts with `term`, for autocompletion.

    "saint eti", "St-Éti" and "33" all work; "33 bord" (a postal code then a name) narrows
    both ways. Names come in alphabetical order, postal codes in numerical order.
    """
    digits = "".join(word for word in term.split() if word.isdigit())
    name_key = commune_name_key(" ".join(word for word in term.split() if not word.isdigit()))
    if not digits and not name_key:
        return []
    index = _commune_index()
    # Widen the first scan when the other part filters it afterwards.
    scan = limit if not (digits and name_key) else len(index.sorted_postal_codes)
    if digits:
        pks = _prefix_matches(index.sorted_postal_codes, digits, scan)
        if name_key:
            named = set(_prefix_matches(index.sorted_names, name_key, len(index.sorted_names)))
            pks = [pk for pk in pks if pk in named]
    else:
        pks = _prefix_matches(index.sorted_names, name_key, scan)
    pks = pks[:limit]
    communes = Commune.objects.select_related("departement").in_bulk(pks)
    return [communes[pk] for pk in pks if pk in communes]
