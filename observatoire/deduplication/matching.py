"""The organisation matcher: "is this organisation already in the register?".

One matcher serves the referencing form, the import preview, the staff "new organisation" screen
and the duplicate finder, so that they all agree on what a duplicate is. `find_matches` looks up
candidates for one description; `score_pair` compares two descriptions and says why.
"""

import difflib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from observatoire.core.search import filter_by_search_text
from observatoire.core.text import fold
from observatoire.organizations.models import Organization

# Words that say what kind of body it is rather than which one: dropped before comparing names.
GENERIC_WORDS = frozenset(
    """
    association asso assoc ass ong fondation fonds federation collectif comite club union
    ville commune mairie de du des la le les l d et en a au aux pour sur par
    communaute agglomeration communes metropole departement departemental departementale
    conseil region regional regionale syndicat intercommunal sivom sivu
    sarl sas sasu sa eurl scop scic gie eirl
    """.split()
)
# Mail providers shared by thousands of unrelated organisations: their domain proves nothing.
PUBLIC_MAIL_DOMAINS = frozenset(
    """
    gmail.com yahoo.fr yahoo.com hotmail.fr hotmail.com outlook.fr outlook.com live.fr
    orange.fr wanadoo.fr free.fr sfr.fr laposte.net neuf.fr aol.com icloud.com gmx.fr
    protonmail.com proton.me numericable.fr bbox.fr
    """.split()
)


def name_key(name: str) -> str:
    """A name reduced to its distinctive words: 'Mairie de Saint-Étienne' → 'saint etienne'."""
    folded = fold((name or "").replace("&", " et "))
    words = [w for w in folded.split() if w not in GENERIC_WORDS and len(w) > 1]
    return " ".join(words) or folded


def acronym_of(name: str) -> str:
    """The initials of a name's distinctive words: 'Cités Unies France' → 'cuf'."""
    return "".join(word[0] for word in name_key(name).split())


def web_domain(url_or_email: str) -> str:
    """The registrable host of a website or e-mail address, without 'www.'; '' if public mail."""
    value = (url_or_email or "").strip().lower()
    if not value:
        return ""
    if "@" in value:
        host = value.rsplit("@", 1)[1]
    else:
        host = urlsplit(value if "//" in value else f"//{value}").hostname or ""
    host = host.removeprefix("www.")
    return "" if host in PUBLIC_MAIL_DOMAINS else host


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
        )

    @property
    def siren_key(self) -> str:
        return self.siren or (self.siret[:9] if len(self.siret) == 14 else "")


@dataclass
class Match:
    organization: Organization
    score: float  # 0 to 1
    reasons: list[str] = field(default_factory=list)


def _name_similarity(a: Description, b: Description) -> float:
    key_a, key_b = name_key(a.name), name_key(b.name)
    if not key_a or not key_b:
        return 0.0
    best = difflib.SequenceMatcher(None, key_a, key_b).ratio()
    # Word order and extra words: compare the sorted sets of words too.
    words_a, words_b = set(key_a.split()), set(key_b.split())
    if words_a and words_b:
        overlap = len(words_a & words_b) / min(len(words_a), len(words_b))
        best = max(best, 0.95 * overlap if min(len(words_a), len(words_b)) > 1 else best)
    # An acronym against the full name ('CUF' and 'Cités Unies France').
    for short, long in ((a, b), (b, a)):
        initials = acronym_of(long.name)
        for token in (fold(short.acronym), fold(short.name).replace(" ", "")):
            if len(token) >= 3 and token == initials:
                best = max(best, 0.9)
    return best


def score_pair(a: Description, b: Description) -> tuple[float, list[str]]:
    """How likely two descriptions are the same organisation (0–1), and the reasons why."""
    reasons: list[str] = []
    if a.rna and a.rna == b.rna:
        return 1.0, [str(_("same RNA number"))]
    if a.siret and a.siret == b.siret:
        return 1.0, [str(_("same SIRET"))]
    if a.siren_key and a.siren_key == b.siren_key:
        return 0.97, [str(_("same SIREN"))]
    similarity = _name_similarity(a, b)
    score = similarity
    if similarity >= 0.8:
        reasons.append(str(_("similar names")))
    same_place = False
    if a.commune_id and a.commune_id == b.commune_id:
        same_place = True
        reasons.append(str(_("same commune")))
    elif a.departement_id and a.departement_id == b.departement_id:
        same_place = True
        reasons.append(str(_("same département")))
    if same_place:
        score = min(1.0, score + 0.05)
    elif a.departement_id and b.departement_id:
        score *= 0.85
    for value_a, value_b, label in (
        (a.website, b.website, _("same website")),
        (a.email, b.email, _("same e-mail domain")),
    ):
        domain = web_domain(value_a)
        if domain and domain == web_domain(value_b):
            score = max(score, 0.9)
            reasons.append(str(label))
    return round(score, 3), reasons


def find_matches(
    description: Description,
    *,
    exclude_ids: tuple[int, ...] = (),
    limit: int = 5,
    min_score: float = 0.75,
    queryset=None,
) -> list[Match]:
    """Organisations of the register that may be the one described, best first."""
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
    # By name: organisations sharing the most distinctive word (the longest) of the name.
    words = sorted(name_key(description.name).split(), key=len, reverse=True)
    for word in words[:2]:
        if len(word) < 3:
            continue
        by_name = filter_by_search_text(queryset, word).exclude(pk__in=exclude_ids)
        for organization in by_name[:200]:
            pool.setdefault(organization.pk, organization)
    if description.acronym and len(description.acronym) >= 2:
        for organization in queryset.filter(acronym__iexact=description.acronym)[:20]:
            pool.setdefault(organization.pk, organization)
    matches = []
    for organization in pool.values():
        score, reasons = score_pair(description, Description.of(organization))
        if score >= min_score:
            matches.append(Match(organization=organization, score=score, reasons=reasons))
    matches.sort(key=lambda m: (-m.score, m.organization.name))
    return matches[:limit]
