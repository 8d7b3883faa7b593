"""Which open watch items fit an organisation, how well, and why: the rules, without the database.

An item *fits* an organisation when it passes every hard filter:

- it is an opportunity (`OPPORTUNITY_KINDS`: funding calls, training offers, job and volunteering
  offers, events elsewhere; news and publications are read, not applied to) and still open;
- its kinds of organisation, when it lists any, include the organisation's kind;
- its départements, when it lists any, include the département of the organisation's seat;
- its countries or zones, when it lists any, meet the countries where the organisation acts (its
  countries, its places of intervention, the countries of its projects). An organisation that
  records no country at all is not excluded (its record is incomplete, not proven elsewhere);
  it just earns no geographic points;
- its themes or SDGs, when it names any, share at least one with the organisation (an item that
  names none is open to every subject; an organisation that records none is not excluded).

The score adds, for each thing the item and the organisation share, its weight (`WEIGHTS`): a
theme 3, a country 4, a zone (continent) 2, a need 2, the département 2, the kind of
organisation explicitly listed 1, an SDG 1. A call aimed at the organisation's very country
therefore ranks above one open to its whole continent, and a call on its themes above a general
one. Equal scores go to the soonest deadline first (items without a deadline last).
The reasons are listed by weight, heaviest first.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, groupby
from operator import itemgetter

from django.utils.translation import gettext as _

from observatoire.referentials.models import Country
from observatoire.watch.models import WatchKind

OPPORTUNITY_KINDS: tuple[str, ...] = (
    WatchKind.FUNDING_CALL,
    WatchKind.TRAINING,
    WatchKind.JOB,
    WatchKind.VOLUNTEERING,
    WatchKind.EVENT,
)

THEME, COUNTRY, ZONE, NEED, DEPARTEMENT, KIND, SDG = "t", "c", "z", "n", "d", "k", "s"
WEIGHTS: dict[str, int] = {COUNTRY: 4, THEME: 3, ZONE: 2, NEED: 2, DEPARTEMENT: 2, KIND: 1, SDG: 1}


@dataclass(frozen=True, slots=True)
class ItemProfile:
    """A watch item's eligibility as sets of ids (zones as continent codes)."""

    id: int
    kinds: frozenset = frozenset()
    departements: frozenset = frozenset()
    countries: frozenset = frozenset()
    zones: frozenset = frozenset()
    themes: frozenset = frozenset()
    sdgs: frozenset = frozenset()
    needs: frozenset = frozenset()

    @property
    def topical(self) -> bool:
        return bool(self.themes or self.sdgs)


@dataclass(frozen=True, slots=True)
class OrganizationProfile:
    id: int
    kind_id: int | None = None
    departement_id: int | None = None
    countries: frozenset = frozenset()
    continents: frozenset = frozenset()
    themes: frozenset = frozenset()
    sdgs: frozenset = frozenset()
    needs: frozenset = frozenset()

    @property
    def topical(self) -> bool:
        return bool(self.themes or self.sdgs)

    def keys(self) -> list[tuple[str, object]]:
        """What the organisation is, as the keys of `ItemIndex.postings`."""
        keys: list[tuple[str, object]] = [(THEME, pk) for pk in self.themes]
        keys += [(SDG, pk) for pk in self.sdgs]
        keys += [(COUNTRY, pk) for pk in self.countries]
        keys += [(ZONE, code) for code in self.continents]
        keys += [(NEED, pk) for pk in self.needs]
        if self.departement_id is not None:
            keys.append((DEPARTEMENT, self.departement_id))
        if self.kind_id is not None:
            keys.append((KIND, self.kind_id))
        return keys


def excluded(item: ItemProfile, organization: OrganizationProfile) -> bool:
    """True when a hard filter keeps the item from the organisation (see the module docstring)."""
    if item.kinds and organization.kind_id not in item.kinds:
        return True
    if item.departements and organization.departement_id not in item.departements:
        return True
    if (
        (item.countries or item.zones)
        and organization.countries
        and not (item.countries & organization.countries or item.zones & organization.continents)
    ):
        return True
    return (
        item.topical
        and organization.topical
        and not (item.themes & organization.themes or item.sdgs & organization.sdgs)
    )


def shared(item: ItemProfile, organization: OrganizationProfile) -> list[tuple[str, object]]:
    """The (dimension, value) pairs the item and the organisation share, heaviest first."""
    pairs: list[tuple[str, object]] = [
        (COUNTRY, pk) for pk in item.countries & organization.countries
    ]
    pairs += [(THEME, pk) for pk in item.themes & organization.themes]
    pairs += [(ZONE, code) for code in item.zones & organization.continents]
    pairs += [(NEED, pk) for pk in item.needs & organization.needs]
    if organization.departement_id in item.departements:
        pairs.append((DEPARTEMENT, organization.departement_id))
    if organization.kind_id in item.kinds:
        pairs.append((KIND, organization.kind_id))
    pairs += [(SDG, pk) for pk in item.sdgs & organization.sdgs]
    return pairs


def score(item: ItemProfile, organization: OrganizationProfile) -> int:
    return sum(WEIGHTS[dimension] for dimension, _value in shared(item, organization))


class ItemIndex:
    """The open items, indexed so that ranking an organisation touches only what it shares.

    For each kind of organisation, `postings[(dimension, value)]` lists the positions of the
    items open to that kind with that value, each repeated as many times as the dimension
    weighs: counting them (a C loop in `Counter`) gives the scores. Positions follow the
    tie-break order (soonest deadline first).
    """

    def __init__(self, items: list[ItemProfile]):
        self.items = items
        self._by_kind: dict[int | None, tuple[dict, dict, dict]] = {}

    def _for_kind(self, kind_id: int | None) -> tuple[dict, dict, dict]:
        """The postings of the items open to this kind of organisation (built once per kind):
        the items reserved to other kinds never enter the count."""
        if kind_id in self._by_kind:
            return self._by_kind[kind_id]
        fields = (
            (THEME, "themes"),
            (SDG, "sdgs"),
            (COUNTRY, "countries"),
            (ZONE, "zones"),
            (NEED, "needs"),
            (DEPARTEMENT, "departements"),
            (KIND, "kinds"),
        )
        postings: dict[tuple[str, object], list[int]] = {}
        open_to_all_subjects, everything = {}, {}
        for position, item in enumerate(self.items):
            if item.kinds and kind_id not in item.kinds:
                continue
            for dimension, attribute in fields:
                for value in getattr(item, attribute):
                    postings.setdefault((dimension, value), []).extend(
                        [position] * WEIGHTS[dimension]
                    )
            everything[position] = 0
            # Items that name no theme nor SDG are candidates for everyone, even with no points.
            if not item.topical:
                open_to_all_subjects[position] = 0
        self._by_kind[kind_id] = (postings, open_to_all_subjects, everything)
        return self._by_kind[kind_id]

    def rank(
        self, organization: OrganizationProfile, *, limit: int | None = None
    ) -> list[tuple[int, ItemProfile, int]]:
        """(position, item, score) of the items that fit the organisation, best first."""
        postings, open_to_all_subjects, everything = self._for_kind(organization.kind_id)
        scores = Counter(open_to_all_subjects if organization.topical else everything)
        # One update over every posting list: the counting loop stays in C.
        scores.update(chain.from_iterable([postings.get(key, ()) for key in organization.keys()]))
        # By points only (one sort); the ties of the groups actually read are then put in
        # the deadline order, which is the order of the positions.
        ranked = sorted(scores.items(), key=itemgetter(1), reverse=True)
        fits: list[tuple[int, ItemProfile, int]] = []
        for _points, tied in groupby(ranked, key=itemgetter(1)):
            for position, points in sorted(tied):
                item = self.items[position]
                if excluded(item, organization):
                    continue
                fits.append((position, item, points))
                if limit is not None and len(fits) >= limit:
                    return fits
        return fits


@dataclass
class Names:
    """How each value is called, looked up when a reason is first written."""

    load: Callable[[], dict[str, dict]]
    _names: dict[str, dict] | None = None

    def __call__(self, dimension: str, value) -> str:
        if self._names is None:
            self._names = self.load()
        return self._names.get(dimension, {}).get(value, "")


def reasons(
    item: ItemProfile, organization: OrganizationProfile, names: Callable[[str, object], str]
) -> list[str]:
    """Why the item fits, in the active language, heaviest reason first."""
    texts = []
    for dimension, value in shared(item, organization):
        name = names(dimension, value)
        if dimension == THEME:
            texts.append(_("Theme: %(name)s") % {"name": name})
        elif dimension == COUNTRY:
            texts.append(_("Country: %(name)s") % {"name": name})
        elif dimension == ZONE:
            texts.append(_("Zone: %(name)s") % {"name": Country.Continent(value).label})
        elif dimension == NEED:
            texts.append(_("Answers the need: %(name)s") % {"name": name})
        elif dimension == DEPARTEMENT:
            texts.append(_("Département: %(name)s") % {"name": name})
        elif dimension == KIND:
            texts.append(_("Open to: %(name)s") % {"name": name})
        elif dimension == SDG:
            texts.append(_("SDG %(number)s") % {"number": name})
    if not item.kinds:
        texts.append(_("Open to every kind of organisation"))
    return texts
