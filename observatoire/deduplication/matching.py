"""The organisation matcher: "is this organisation already in the register?".

One matcher serves the referencing form, the import preview, the staff "new organisation" screen
and the duplicate finder, so that they all agree on what a duplicate is. `find_matches` looks up
candidates for one description; `score_pair` compares two descriptions and says why.

A score is built from the names (folded, without legal-form and generic words, acronyms expanded
against the other name), then corrected by the other evidence: identifiers, place, web and
e-mail domains, phone and address. The kind of body a name announces ("Ville de", "Comité de
jumelage", "Lycée"…) keeps a town apart from the bodies named after it.
"""

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from observatoire.core.search import filter_by_search_text
from observatoire.core.text import fold
from observatoire.organizations.models import Organization

# Small words that carry no meaning: dropped everywhere, initials included.
STOP_WORDS = frozenset(
    """
    de du des la le les l d et en a au aux pour sur par contre dans avec the of and for
    y un une
    """.split()
)
# Words that say what kind of body it is rather than which one: dropped before comparing names
# (the kind itself is compared apart, see KIND_WORDS).
# Legal forms (French and foreign): a name ends with its legal form, so what follows it after
# a comma is the seat ('ACME B.V., Den Haag, NL', 'Dupont SARL, Lyon'), not the name.
LEGAL_FORMS = frozenset(
    """
    sarl sas sasu sa eurl scop scic gie eirl sci selarl snc
    inc incorporated corp corporation co company cie ltd limited llc plc gmbh ag kg nv bv
    bvba sprl spa srl ab oy as kk llp lp se cv kgaa ohg oyj publ pty pte
    """.split()
)
GENERIC_WORDS = (
    frozenset(
        """
    association asso assoc ass ong fondation fonds federation collectif comite club union
    ville commune mairie municipalite
    communaute agglomeration communes metropole departement departemental departementale
    conseil region regional regionale syndicat intercommunal sivom sivu
    """.split()
    )
    | LEGAL_FORMS
    | STOP_WORDS
)
# Words naming the kind of body: two names of different kinds are two bodies, even when the
# rest of the name is the same town ("Ville de Niort", "Comité de jumelage de Niort").
KIND_WORDS = {
    "ville": "commune",
    "commune": "commune",
    "mairie": "commune",
    "municipalite": "commune",
    "communaute": "epci",
    "agglomeration": "epci",
    "agglo": "epci",
    "metropole": "epci",
    "departement": "departement",
    "departemental": "departement",
    "departementale": "departement",
    "region": "region",
    "regional": "region",
    "regionale": "region",
    "jumelage": "twinning",
    "jumelages": "twinning",
    "ccas": "social",
    "cias": "social",
    "ecole": "school",
    "college": "school",
    "lycee": "school",
    "universite": "university",
    "iut": "university",
    "syndicat": "syndicate",
    "sivom": "syndicate",
    "sivu": "syndicate",
    "siaep": "syndicate",
    "tourisme": "tourism",
    "cd": "departement",
    "cr": "region",
    "cc": "epci",
    "cdc": "epci",
    "ca": "epci",
    "cu": "epci",
    "paroisse": "parish",
    "eglise": "parish",
}
# Kinds that name a body attached to a place or to another body: when only one of the two names
# announces one, they are rarely the same organisation.
# Local authorities: "Région X" is X itself, not every organisation with X in its name.
AUTHORITY_KINDS = frozenset({"commune", "epci", "departement", "region"})
DEPENDENT_KINDS = frozenset(
    {"epci", "twinning", "social", "school", "university", "syndicate", "tourism", "parish"}
)
SYNONYMS = {"st": "saint", "ste": "sainte", "mt": "mont", "intl": "international"}
# Mail providers shared by thousands of unrelated organisations: their domain proves nothing.
PUBLIC_MAIL_DOMAINS = frozenset(
    """
    gmail.com yahoo.fr yahoo.com hotmail.fr hotmail.com outlook.fr outlook.com live.fr
    orange.fr wanadoo.fr free.fr sfr.fr laposte.net neuf.fr aol.com icloud.com gmx.fr
    protonmail.com proton.me numericable.fr bbox.fr
    """.split()
)
_DIGITS = re.compile(r"\D")
# Legal forms written in full, reduced to their abbreviation (then dropped like it), and the
# mention of the law an association is declared under, which is no part of its name.
LEGAL_FORM_PHRASES = {
    tuple(phrase.split()): short
    for phrase, short in (
        ("societe anonyme", "sa"),
        ("societe a responsabilite limitee", "sarl"),
        ("societe par actions simplifiee unipersonnelle", "sasu"),
        ("societe par actions simplifiee", "sas"),
        ("entreprise unipersonnelle a responsabilite limitee", "eurl"),
        ("societe civile immobiliere", "sci"),
        ("societe en nom collectif", "snc"),
        ("societe cooperative et participative", "scop"),
        ("societe cooperative d interet collectif", "scic"),
        ("groupement d interet economique", "gie"),
        ("loi 1901", ""),
        ("loi de 1901", ""),
        ("loi 1908", ""),
        ("naamloze vennootschap", "nv"),
        ("naamlooze vennootschap", "nv"),
        ("besloten vennootschap", "bv"),
        ("aktiengesellschaft", "ag"),
        ("kommanditgesellschaft", "kg"),
        ("gesellschaft mit beschrankter haftung", "gmbh"),
        ("sociedad anonima", "sa"),
        ("societa per azioni", "spa"),
        ("kabushiki kaisha", "kk"),
        ("aktiebolag", "ab"),
        ("public limited company", "plc"),
        ("limited liability company", "llc"),
    )
}
_PHRASE_STARTS = frozenset(phrase[0] for phrase in LEGAL_FORM_PHRASES)


_DOTTED = re.compile(r"\b(?:[a-z0-9]\.){2,}")
_NUMBER = re.compile(r"\d+")


def _without_seat(name: str) -> str:
    """The name without the seat written after its legal form and a comma."""
    if "," not in name:
        return name
    parts = name.split(",")
    for index in range(len(parts) - 1):
        words = _fold_words(parts[index])
        if words and words[-1] in LEGAL_FORMS and (len(words) > 1 or index > 0):
            return ",".join(parts[: index + 1])
        if index == 0 and len(words) > 1 and words[0] in LEGAL_FORMS:
            # The legal form written first ('N.V. Nutricia, Zoetermeer', 'SARL Dupont, Lyon').
            return parts[0]
    return name


def _words(name: str) -> list[str]:
    words = _fold_words(_without_seat(name or ""))
    # An address written after the legal form ('Dupont SARL 12 rue de la Paix Lyon'): the name
    # ends with its legal form when a number follows it.
    for index in range(1, len(words) - 1):
        if words[index] in LEGAL_FORMS and any(c.isdigit() for w in words[index:] for c in w):
            return words[: index + 1]
    return words


def _fold_words(name: str) -> list[str]:
    name = name or ""
    if "&" in name:
        # Entities left by a web page or an export ('Pharmacia &amp; Upjohn').
        name = html.unescape(name).replace("&", " et ")
    folded = fold(name)
    # 'S.G.B.' and 'N V' are one word each: 'sgb', 'nv'.
    folded = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", folded)
    words: list[str] = []
    for word in folded.replace(".", " ").replace("@", " ").split():
        word = SYNONYMS.get(word, word)
        if (
            len(word) == 1
            and word.isalpha()
            and words
            and words[-1].rstrip("\0").isalpha()
            and (len(words[-1]) == 1 or words[-1].endswith("\0"))
        ):
            words[-1] = words[-1].removesuffix("\0") + word + "\0"
            continue
        words.append(word)
    words = [w.removesuffix("\0") for w in words]
    if not _PHRASE_STARTS.isdisjoint(words):
        words = _shorten_phrases(words)
    return words


def _shorten_phrases(words: list[str]) -> list[str]:
    """Legal forms written in full replaced by their abbreviation ('naamloze vennootschap')."""
    result: list[str] = []
    index = 0
    while index < len(words):
        for phrase, short in LEGAL_FORM_PHRASES.items():
            if tuple(words[index : index + len(phrase)]) == phrase:
                if short:
                    result.append(short)
                index += len(phrase)
                break
        else:
            result.append(words[index])
            index += 1
    return result


def name_key(name: str) -> str:
    """A name reduced to its distinctive words: 'Mairie de Saint-Étienne' → 'saint etienne'."""
    return _key_of(_words(name))


def _key_of(words: list[str]) -> str:
    kept = [w for w in words if w not in GENERIC_WORDS and (len(w) > 1 or w.isdigit())]
    return " ".join(kept) or " ".join(words)


def acronym_of(name: str) -> str:
    """The initials of a name's distinctive words: 'Cités Unies France' → 'cuf'."""
    return "".join(word[0] for word in name_key(name).split())


_PLAIN_URL = re.compile(r"(?:https?://)?([^/?#:\[\]\\\s]*)(?:[/?#:][^\[\]\\\s]*)?")


def _url_host(value: str) -> str:
    """The host of a lower-case URL, with or without its scheme, as `urlsplit` reads it.

    Plain addresses ('https://www.x.org/a', 'x.org') are read with one regular expression (the
    finder reads hundreds of thousands); anything else goes through `urlsplit`.
    """
    if "//" not in value or value.startswith(("http://", "https://")):
        plain = _PLAIN_URL.fullmatch(value)
        if plain and "//" not in value.split("://", 1)[-1]:
            return plain.group(1)
    try:
        return urlsplit(value if "//" in value else f"//{value}").hostname or ""
    except ValueError:
        return ""


def web_domain(url_or_email: str) -> str:
    """The registrable host of a website or e-mail address, without 'www.'; '' if public mail."""
    value = (url_or_email or "").strip().lower()
    if not value:
        return ""
    if "@" in value:
        host = value.rsplit("@", 1)[1]
    else:
        host = _url_host(value)
    host = host.removeprefix("www.")
    return "" if host in PUBLIC_MAIL_DOMAINS else host


# Street types and compass points written in full or abbreviated (French and English postal
# usage): each form is reduced to one spelling before two addresses are compared.
STREET_WORDS = {
    **dict.fromkeys(["rue", "r"], "rue"),
    **dict.fromkeys(["avenue", "av", "ave", "aven"], "av"),
    **dict.fromkeys(["boulevard", "bd", "bld", "blvd", "boul"], "bd"),
    **dict.fromkeys(["place", "pl"], "pl"),
    **dict.fromkeys(["chemin", "ch", "chem"], "ch"),
    **dict.fromkeys(["route", "rte"], "rte"),
    **dict.fromkeys(["allee", "allees", "all"], "all"),
    **dict.fromkeys(["impasse", "imp"], "imp"),
    **dict.fromkeys(["square", "sq"], "sq"),
    **dict.fromkeys(["faubourg", "fbg", "fg"], "fbg"),
    **dict.fromkeys(["quai", "qu"], "quai"),
    **dict.fromkeys(["street", "st", "str"], "st"),
    **dict.fromkeys(["road", "rd"], "rd"),
    **dict.fromkeys(["drive", "dr"], "dr"),
    **dict.fromkeys(["terrace", "terr", "tr"], "terrace"),
    **dict.fromkeys(["court", "ct"], "ct"),
    **dict.fromkeys(["lane", "ln"], "ln"),
    **dict.fromkeys(["parkway", "pkwy"], "pkwy"),
    **dict.fromkeys(["highway", "hwy"], "hwy"),
    **dict.fromkeys(["north", "n"], "n"),
    **dict.fromkeys(["south", "s"], "s"),
    **dict.fromkeys(["east", "e"], "e"),
    **dict.fromkeys(["west", "w"], "w"),
}
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|e|er|eme|ieme)$")
_ADDRESS_SPLIT = re.compile(r"[^a-z0-9]+")


def address_parts(address: str) -> tuple[str, str]:
    """The house number and the street of an address, normalised: ('12', 'rue paix')."""
    return _address_parts(fold(address or ""))


@lru_cache(maxsize=65536)
def _address_parts(folded: str) -> tuple[str, str]:
    words = []
    for word in _ADDRESS_SPLIT.split(folded):
        if not word:
            continue
        ordinal = _ORDINAL.match(word)
        word = ordinal.group(1) if ordinal else STREET_WORDS.get(word, word)
        if word not in STOP_WORDS:
            words.append(word)
    number = words.pop(0) if words and words[0].isdigit() else ""
    return number, " ".join(words)


def phone_key(phone: str) -> str:
    """The last nine digits of a phone number (drops +33 / 0 prefixes); '' if too short."""
    digits = _DIGITS.sub("", phone or "")
    return digits[-9:] if len(digits) >= 7 else ""


@dataclass(frozen=True)
class Description:
    """What is known of an organisation to match: a record, a form or an imported row."""

    name: str
    acronym: str = ""
    siren: str = ""
    siret: str = ""
    rna: str = ""
    website: str = ""
    email: str = ""
    commune_id: int | None = None
    departement_id: int | None = None
    # Optional: compared when both sides have them.
    phone: str = ""
    address: str = ""
    postal_code: str = ""

    @classmethod
    def of(cls, organization: Organization) -> "Description":
        return cls(
            name=organization.name,
            acronym=organization.acronym,
            siren=organization.siren,
            siret=organization.siret,
            rna=organization.rna,
            website=organization.website,
            email=organization.public_email,
            commune_id=organization.commune_id,
            departement_id=organization.departement_id,
            phone=organization.phone,
            address=organization.address_line1,
            postal_code=organization.postal_code,
        )

    @classmethod
    def from_values(cls, values: dict, *, with_contact: bool = False) -> "Description":
        """From an organisation's field values (a form's cleaned data, an imported row).

        The phone and street address count only `with_contact`: a visitor's form gives the
        requester's own, not the organisation's.
        """
        commune = values.get("commune")
        contact = {}
        if with_contact:
            contact = {
                "phone": values.get("phone") or "",
                "address": values.get("address_line1") or "",
                "postal_code": values.get("postal_code") or "",
            }
        return cls(
            name=values.get("name") or "",
            acronym=values.get("acronym") or "",
            siren=values.get("siren") or "",
            siret=values.get("siret") or "",
            rna=values.get("rna") or "",
            website=values.get("website") or "",
            email=values.get("public_email") or "",
            commune_id=commune.pk if commune else None,
            departement_id=commune.departement_id if commune else None,
            **contact,
        )

    @property
    def siren_key(self) -> str:
        return self.siren or (self.siret[:9] if len(self.siret) == 14 else "")


@dataclass
class Match:
    organization: Organization
    score: float  # 0 to 1
    reasons: list[str] = field(default_factory=list)
    reason_codes: list[str] = field(default_factory=list)  # see REASONS


@dataclass(slots=True)
class Features:
    """A description prepared once for many comparisons (the finder compares each many times)."""

    key: str
    sorted_key: str
    tokens: tuple[str, ...]
    compact: str
    initials: tuple[str, ...]  # of the distinctive words, and of all but the stop words
    meaningful: tuple[str, ...]  # the words but stop words, for acronym expansion
    meaningful_initials: str
    acronym: str
    acronym_tokens: frozenset[str]  # words that may be an acronym of the other name
    acronym_like: tuple[str, ...]  # words written as an acronym ('HSF'), for the blocking
    kinds: frozenset[str]
    numbers: frozenset[str]  # the numbers in the name ('Coopération Guinée 44')
    short_tokens: tuple[str, ...]  # the words of 2 to 8 letters, that may be acronyms
    siren: str
    siret: str
    rna: str
    web: str
    mail: str
    phone: str
    address: str
    address_number: str
    address_street: str
    postal_code: str
    commune_id: int | None
    departement_id: int | None
    # Weight of each word of `tokens` in the register being deduplicated (rare words weigh
    # more, see `weigh_words`); empty when comparing outside a register.
    weights: dict[str, float] | None = None
    weight_totals: tuple[float, float] = (0.0, 0.0)  # sum of squares, sum


def weigh_words(items) -> None:
    """Give each prepared record the inverse document frequency of its words in `items`.

    A word most records share ('Center', 'Chemicals', 'Solidarité') says less about which
    organisation it is than a word few records have; the weights are taken from the register
    itself, not from a word list.
    """
    import math
    from collections import Counter

    items = list(items)
    frequency = Counter(token for item in items for token in set(item.tokens))
    total = len(items) + 1
    idf = {token: math.log(total / count) for token, count in frequency.items()}
    # One dict (and its totals) for all the records of one name.
    shared: dict[tuple[str, ...], tuple[dict[str, float], tuple[float, float]]] = {}
    for item in items:
        found = shared.get(item.tokens)
        if found is None:
            weights = {token: idf[token] for token in item.tokens}
            totals = (sum(w * w for w in weights.values()), sum(weights.values()))
            found = shared[item.tokens] = (weights, totals)
        item.weights, item.weight_totals = found


_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=262144)
def abbreviates(short: str, long: str) -> bool:
    """Whether `short` is an abbreviation of `long`: its beginning ('assoc', 'amer'), or its
    beginning then consonants of the rest in order ('svc' service, 'ctr' centre, 'dvpt'
    développement, 'intl' international). Three letters at least.
    """
    if len(short) < 3 or len(short) >= len(long) or short[0] != long[0] or not short.isalpha():
        return False
    if long.startswith(short):
        # Not a word and its derivative ('Mali', 'Malien'; 'Saint', 'Sainte').
        return len(long) - len(short) >= 4
    index = 1
    while short[index] == long[index]:
        index += 1
    rest = long[index:]
    position = 0
    for letter in short[index:]:
        if letter in _VOWELS:
            return False
        position = rest.find(letter, position) + 1
        if not position:
            return False
    return True


def _expand_abbreviations(tokens: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """`tokens` with each abbreviation of a word of `other` written in full."""
    result = None
    for index, token in enumerate(tokens):
        if len(token) < 3 or token in other:
            continue
        first, size = token[0], len(token)
        for word in other:
            if (
                word[0] == first
                and len(word) > size
                and word not in tokens
                and abbreviates(token, word)
            ):
                if result is None:
                    result = list(tokens)
                result[index] = word
                break
    return tokens if result is None else tuple(result)


def _weighted_overlap(a: Features, b: Features) -> tuple[float, float]:
    """(cosine, containment) of the two names' words weighted by rarity; (1, 1) unweighted.

    Words that differ by a slip (ratio 85 or more) or abbreviated ('tech', 'technology')
    count as shared. Containment is the share of one name's weight found in the other name
    (the higher of the two).
    """
    if not a.weights or not b.weights or a.key == b.key:
        return 1.0, 1.0
    weights_a, weights_b = a.weights, b.weights
    squares_a, sum_a = a.weight_totals
    squares_b, sum_b = b.weight_totals
    if not squares_a or not squares_b:
        return 1.0, 1.0
    shared = shared_a = shared_b = 0.0
    only_b = None
    for token, weight in weights_a.items():
        if token in weights_b:
            shared += weight * weight
            shared_a += weight
            shared_b += weight
            continue
        if len(token) >= 3:
            if only_b is None:
                only_b = [t for t in weights_b if t not in weights_a and len(t) >= 3]
            for other in only_b:
                if (
                    token[0] == other[0]
                    and (abbreviates(token, other) or abbreviates(other, token))
                ) or fuzz.ratio(token, other) >= 85:
                    shared += weight * weights_b[other]
                    shared_a += weight
                    shared_b += weights_b[other]
                    break
    cosine = shared / (squares_a * squares_b) ** 0.5
    containment = max(shared_a / (sum_a or 1), shared_b / (sum_b or 1))
    return min(cosine, 1.0), min(containment, 1.0)


def build_features(description: Description) -> Features:
    """Prepare a description for comparisons (uncached: the finder prepares each once)."""
    name = description.name or ""
    words = _words(name)
    key = _key_of(words)
    tokens = tuple(key.split())
    compact = key.replace(" ", "")
    meaningful = tuple(w for w in words if w not in STOP_WORDS)
    initials = {"".join(w[0] for w in tokens), "".join(w[0] for w in meaningful)}
    acronym = fold(description.acronym).replace(" ", "")
    acronym_tokens = set(tokens)
    if acronym:
        acronym_tokens.add(acronym)
    if compact and len(tokens) == 1:
        acronym_tokens.add(compact)
    acronym_like = {acronym} if len(acronym) >= 2 else set()
    if len(tokens) == 1 and 2 <= len(compact) <= 8:
        acronym_like.add(compact)
    if any(c.islower() for c in name):
        # Words in capitals in a name written in lower case ('HSF Sud-Ouest'), not its legal
        # form ('Whirlpool Europe B.V.': a legal form is no acronym of the name).
        capitals = (
            fold(w).replace(".", "")
            for w in re.split(r"[\s\-–/()]+", name)
            if 2 <= len(w) <= 8 and w.isupper()
        )
        acronym_like.update(w for w in capitals if len(w) >= 2 and w not in GENERIC_WORDS)
    address = fold(description.address)
    number, street = _address_parts(address)
    return Features(
        key=key,
        sorted_key=" ".join(sorted(tokens)),
        tokens=tokens,
        compact=compact,
        initials=tuple(i for i in initials if len(i) >= 2),
        meaningful=meaningful,
        meaningful_initials="".join(w[0] for w in meaningful),
        acronym=acronym,
        acronym_tokens=frozenset(t for t in acronym_tokens if len(t) >= 2),
        acronym_like=tuple(sorted(t for t in acronym_like if t)),
        kinds=frozenset(KIND_WORDS[w] for w in words if w in KIND_WORDS),
        numbers=frozenset(_NUMBER.findall(key)),
        short_tokens=tuple(w for w in tokens if 2 <= len(w) <= 8),
        siren=description.siren_key,
        siret=description.siret,
        rna=(description.rna or "").upper(),
        web=web_domain(description.website),
        mail=web_domain(description.email),
        phone=phone_key(description.phone),
        address=address,
        address_number=number,
        address_street=street,
        postal_code=(description.postal_code or "").strip(),
        commune_id=description.commune_id,
        departement_id=description.departement_id,
    )


features = lru_cache(maxsize=4096)(build_features)


def _expand_acronyms(
    short: tuple[str, ...], long: tuple[str, ...], long_initials: str | None = None
) -> tuple[str, ...]:
    """Replace in `long` each run of words whose initials are a word of `short` by that word.

    'HSF Sud-Ouest' against 'Hydraulique Sans Frontières Sud-Ouest' gives 'hsf sud ouest'.
    """
    if long_initials is None:
        long_initials = "".join(w[0] for w in long)
    # The initials of a run of words are a substring of the initials of all the words.
    candidates = {w for w in short if 2 <= len(w) <= 8 and w in long_initials and w not in long}
    if not candidates:
        return long
    result: list[str] = []
    index = 0
    while index < len(long):
        for size in range(min(8, len(long) - index), 1, -1):
            run = long[index : index + size]
            if "".join(w[0] for w in run) in candidates:
                result.append("".join(w[0] for w in run))
                index += size
                break
        else:
            result.append(long[index])
            index += 1
    return tuple(result)


def _name_similarity(a: Features, b: Features) -> tuple[float, bool]:
    """How alike two names are (0–1), and whether an acronym matched the other's name."""
    if not a.key or not b.key:
        return 0.0, False
    if a.key == b.key:
        return 1.0, False
    ratio = fuzz.ratio
    # ratio of the sorted words is rapidfuzz's token_sort_ratio, sorted once per record.
    best = max(ratio(a.key, b.key), ratio(a.sorted_key, b.sorted_key), ratio(a.compact, b.compact))
    # Extra words on one side ('Philips Electronics' in 'Koninklijke Philips Electronics'):
    # only when the shorter name has two words or more, one shared word proves little.
    if best < 93 and min(len(a.tokens), len(b.tokens)) >= 2:
        best = max(best, 0.93 * fuzz.token_set_ratio(a.key, b.key))
    if 60 <= best < 95:
        # Abbreviated words ('Chinese Amer Svc League', 'Assoc. intl de dvpt') written in full.
        tokens_a = _expand_abbreviations(a.tokens, b.tokens)
        tokens_b = _expand_abbreviations(b.tokens, a.tokens)
        if tokens_a != a.tokens or tokens_b != b.tokens:
            best = max(
                best,
                ratio(" ".join(tokens_a), " ".join(tokens_b)),
                ratio(" ".join(sorted(tokens_a)), " ".join(sorted(tokens_b))),
            )
    similarity = best / 100
    acronym = False
    if similarity >= 0.95:
        return similarity, acronym
    # An acronym against the full name ('CUF' and 'Cités Unies France').
    for short, long in ((a, b), (b, a)):
        if not short.acronym_tokens.isdisjoint(long.initials) or (
            short.acronym and short.acronym == long.acronym and len(short.acronym) >= 2
        ):
            acronym = True
            similarity = max(similarity, 0.9)
        if not short.short_tokens:
            continue
        expanded = _expand_acronyms(short.short_tokens, long.meaningful, long.meaningful_initials)
        if expanded != long.meaningful:
            kept = " ".join(w for w in expanded if w not in GENERIC_WORDS)
            if kept:
                expanded_ratio = fuzz.token_sort_ratio(short.key, kept) / 100
                if expanded_ratio > similarity:
                    similarity, acronym = expanded_ratio, True
    return similarity, acronym


REASONS = {
    "rna": _("same RNA number"),
    "siret": _("same SIRET"),
    "siren": _("same SIREN"),
    "acronym": _("acronym matches the name"),
    "names": _("similar names"),
    "kinds": _("different kinds of body"),
    "identifiers": _("different identifiers"),
    "commune": _("same commune"),
    "departement": _("same département"),
    "departements": _("different départements"),
    "addresses": _("different addresses"),
    "website": _("same website"),
    "mail": _("same e-mail domain"),
    "phone": _("same phone"),
    "address": _("same address"),
}


def score_codes(a: Features, b: Features, min_score: float = 0.0) -> tuple[float, list[str]]:
    """The score and the codes of its reasons (see REASONS); (0, []) early under `min_score`."""
    if a.rna and a.rna == b.rna:
        return 1.0, ["rna"]
    if a.siret and a.siret == b.siret:
        return 1.0, ["siret"]
    if a.siren and a.siren == b.siren:
        return 0.97, ["siren"]
    reasons: list[str] = []
    similarity, acronym = _name_similarity(a, b)
    other_number = bool(
        a.address_number and b.address_number and a.address_number != b.address_number
    )
    if not (a.address_street and b.address_street):
        address_ratio = None
    elif a.address_street == b.address_street:
        address_ratio = 100.0
    else:
        address_ratio = fuzz.token_set_ratio(a.address_street, b.address_street)
    same_address = address_ratio is not None and address_ratio >= 90 and not other_number
    if min_score:
        # The best the rest could make of it: skip the pairs that cannot reach the threshold.
        bound = similarity + 0.05
        if (
            (a.web and a.web == b.web)
            or (a.mail and a.mail == b.mail)
            or (a.phone and a.phone == b.phone)
            or same_address
        ):
            bound = max(bound, 0.95 * (0.5 + 0.5 * similarity))
            shared = (
                bool(a.phone and a.phone == b.phone)
                + same_address
                + bool(a.web and a.web == b.web)
                + bool(a.mail and a.mail == b.mail)
            )
            if shared >= 2:
                bound = max(bound, 0.95)  # see the containment below
        if bound < min_score:
            return 0.0, []
    # In a register, names that share only their common words ('… Center for Learning - site
    # A', '… - site B') are two bodies however long the shared part: cap the similarity by the
    # rarity-weighted overlap of the words. The containment of one name in the other serves
    # below, when contact details agree ('Davis' and 'Public Schools Davis, Nathan').
    cosine, containment = _weighted_overlap(a, b)
    cap = 0.5 + 0.5 * max(cosine, containment)
    # Not when an acronym matched, nor for a slip or words run together.
    if similarity > cap and not acronym and fuzz.ratio(a.compact, b.compact) < 90:
        similarity = cap
    containment = max(similarity, containment if a.kinds == b.kinds else 0.0)
    score = similarity
    if acronym:
        reasons.append("acronym")
    elif similarity >= 0.8:
        reasons.append("names")
    if a.kinds and b.kinds and not (a.kinds & b.kinds):
        score *= 0.5
        reasons.append("kinds")
    elif (a.kinds ^ b.kinds) & DEPENDENT_KINDS:
        score *= 0.7
        reasons.append("kinds")
    authority_a, authority_b = a.kinds & AUTHORITY_KINDS, b.kinds & AUTHORITY_KINDS
    if bool(authority_a) != bool(authority_b) and set(a.tokens) != set(b.tokens):
        # 'Région Nouvelle-Aquitaine' and 'Information Jeunesse Nouvelle-Aquitaine'.
        score *= 0.75
    # Two registered identifiers that differ: two legal persons.
    if (a.siren and b.siren) or (a.rna and b.rna):
        score *= 0.6
        reasons.append("identifiers")
    if a.commune_id and a.commune_id == b.commune_id:
        score = min(1.0, score + 0.05)
        reasons.append("commune")
    elif a.departement_id and a.departement_id == b.departement_id:
        score = min(1.0, score + 0.02)
        reasons.append("departement")
        if "commune" in a.kinds & b.kinds and a.commune_id and b.commune_id:
            score *= 0.6  # two towns of the same département
    elif a.departement_id and b.departement_id:
        score *= 0.7
        reasons.append("departements")
    elif a.postal_code and b.postal_code and a.postal_code != b.postal_code:
        score *= 0.9
    # Numbered bodies ('Coopération Guinée 44' and '… 56', 'Teddy Bear 2' and '3') differ.
    numbers_a, numbers_b = a.numbers, b.numbers
    if numbers_a and numbers_b and numbers_a != numbers_b:
        score *= 0.8
    address_factor = 1.0
    if address_ratio is not None:
        if address_ratio < 60:
            # Another street: two establishments, or a move the records disagree on. Applied
            # after the shared contact details too: the sites of one network share its
            # website and often its phone, and stay two sites. A name written the same way
            # still reaches 0.8 (an association that moved), a variant of it no longer does.
            address_factor = 0.8
            reasons.append("addresses")
        elif other_number:
            # The same street, another number: two buildings, or a slip in the number.
            address_factor = 0.85
            reasons.append("addresses")
    evidence = 0.0
    if a.web and a.web == b.web:
        evidence = max(evidence, 0.9)
        reasons.append("website")
    if a.mail and a.mail == b.mail:
        evidence = max(evidence, 0.9)
        reasons.append("mail")
    if a.phone and a.phone == b.phone:
        evidence = max(evidence, 0.85)
        reasons.append("phone")
    if same_address:
        evidence = max(evidence + 0.05, 0.8) if evidence else 0.75
        reasons.append("address")
    if evidence:
        # Shared contact details lift a pair whose names already agree somewhat; a federation
        # and its branches share a website, so they never make two different names one.
        score = max(score, min(1.0, evidence) * (0.5 + 0.5 * similarity))
        contacts = sum(code in reasons for code in ("website", "mail", "phone", "address"))
        if contacts >= 2:
            # Two independent contact details agreeing say more than one; still not enough
            # for names with nothing in common (bodies housed at one address share a phone).
            score = max(score, 0.95 * (0.6 + 0.4 * containment))
    return round(min(score * address_factor, 1.0), 3), reasons


def translate_reasons(codes: list[str]) -> list[str]:
    """The reasons in the reader's language; text stored before codes were kept stays as is."""
    return [str(REASONS[code]) if code in REASONS else code for code in codes]


def score_features(a: Features, b: Features) -> tuple[float, list[str]]:
    """`score_pair` on prepared descriptions."""
    score, codes = score_codes(a, b)
    return score, translate_reasons(codes)


def score_pair(a: Description, b: Description) -> tuple[float, list[str]]:
    """How likely two descriptions are the same organisation (0–1), and the reasons why."""
    return score_features(features(a), features(b))


def find_matches(
    description: Description,
    *,
    exclude_ids: tuple[int, ...] = (),
    limit: int = 5,
    min_score: float = 0.75,
    queryset=None,
) -> list[Match]:
    """Organisations of the register that may be the one described, best first.

    A record merged into another leads to the one it was merged into.
    """
    queryset = Organization.objects.all() if queryset is None else queryset
    conditions = Q()
    if description.rna:
        conditions |= Q(rna=description.rna)
    if description.siret:
        conditions |= Q(siret=description.siret)
    if description.siren_key:
        conditions |= Q(siren=description.siren_key) | Q(siret__startswith=description.siren_key)
    domain = web_domain(description.website)
    if domain:
        conditions |= Q(website__icontains=domain)
    mail_domain = web_domain(description.email)
    if mail_domain:
        conditions |= Q(public_email__iendswith=f"@{mail_domain}")
    pool: dict[int, Organization] = {}
    if conditions:
        for organization in queryset.filter(conditions).exclude(pk__in=exclude_ids)[:50]:
            pool[organization.pk] = organization
    # By name: organisations sharing the most distinctive words (the longest) of the name.
    words = sorted(name_key(description.name).split(), key=len, reverse=True)
    for word in words[:2]:
        if len(word) < 3:
            continue
        by_name = filter_by_search_text(queryset, word).exclude(pk__in=exclude_ids)
        for organization in by_name[:200]:
            pool.setdefault(organization.pk, organization)
    acronyms = {description.acronym.strip()} if len(description.acronym.strip()) >= 2 else set()
    name_words = description.name.split()
    if len(name_words) == 1 and 2 <= len(name_words[0]) <= 8:
        acronyms.add(name_words[0])
    for acronym in acronyms:
        for organization in queryset.filter(acronym__iexact=acronym).exclude(pk__in=exclude_ids)[
            :20
        ]:
            pool.setdefault(organization.pk, organization)
    target = features(description)
    best: dict[int, Match] = {}
    for organization in pool.values():
        score, codes = score_codes(target, features(Description.of(organization)))
        if score < min_score:
            continue
        organization = organization.survivor
        if organization.pk in exclude_ids:
            continue
        if organization.pk not in best or best[organization.pk].score < score:
            best[organization.pk] = Match(
                organization=organization,
                score=score,
                reasons=translate_reasons(codes),
                reason_codes=codes,
            )
    # The pk last: two records of one name and score always come in the same order (the
    # batch path, organization_matches_many, orders them alike).
    matches = sorted(
        best.values(), key=lambda m: (-m.score, m.organization.name, m.organization.pk)
    )
    return matches[:limit]
