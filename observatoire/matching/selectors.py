"""Reads of the matching: the opportunities that fit one organisation or many, and the digests."""

import datetime
from collections.abc import Iterable, Iterator

from django.db.models import F, QuerySet
from django.urls import NoReverseMatch

from observatoire.core.bulk import grouped_by_owner, id_range
from observatoire.organizations.models import InterventionPlace, Organization
from observatoire.projects.models import ProjectPartner
from observatoire.referentials.models import (
    SDG,
    Country,
    Departement,
    Need,
    OrganizationKind,
    Theme,
)
from observatoire.watch.models import WatchItem

from . import rules
from .models import DigestSubscription

# Organisations are read this many at a time; the queries per chunk do not depend on its size.
CHUNK = 5000
# Below this share of ids in their range, a chunk is read with `IN (...)` rather than the range.
SPARSE_CHUNK = 900


class Match:
    """An open item that fits an organisation, its score and (written when first read) why."""

    __slots__ = ("item", "points", "_profile", "_organization", "_names", "_reasons")

    def __init__(self, item: WatchItem, points: int, profile, organization, names):
        self.item = item
        self.points = points
        self._profile = profile
        self._organization = organization
        self._names = names
        self._reasons: list[str] | None = None

    @property
    def score(self) -> float:
        return float(self.points)

    @property
    def reasons(self) -> list[str]:
        if self._reasons is None:
            self._reasons = rules.reasons(self._profile, self._organization, self._names)
        return self._reasons

    def __repr__(self) -> str:
        return f"<Match {self.item.pk} {self.points}>"


def _names() -> dict[str, dict]:
    def named(model) -> dict:
        return {entry.pk: entry.name for entry in model.objects.all()}

    return {
        rules.THEME: named(Theme),
        rules.NEED: named(Need),
        rules.KIND: named(OrganizationKind),
        rules.COUNTRY: {country.pk: str(country) for country in Country.objects.all()},
        rules.DEPARTEMENT: {dep.pk: str(dep) for dep in Departement.objects.all()},
        rules.SDG: dict(SDG.objects.values_list("pk", "number")),
    }


def open_opportunities(
    *, items: QuerySet | None = None, today: datetime.date | None = None
) -> QuerySet:
    """The open items of the kinds that are matched, soonest deadline first."""
    items = WatchItem.objects.all() if items is None else items
    return (
        items.open(today)
        .filter(kind__in=rules.OPPORTUNITY_KINDS)
        .order_by(F("deadline").asc(nulls_last=True), F("published_at").desc(nulls_last=True), "pk")
    )


def _item_index(items: QuerySet) -> tuple[list[WatchItem], rules.ItemIndex]:
    """The items and their eligibility, read once: seven queries whatever their number."""
    instances = list(items)
    ids = [item.pk for item in instances]
    links = {
        attribute: grouped_by_owner(
            getattr(WatchItem, attribute).through.objects.all(),
            "watchitem_id",
            column,
            ids,
            ordered=False,
        )
        for attribute, column in (
            ("organization_kinds", "organizationkind_id"),
            ("departements", "departement_id"),
            ("countries", "country_id"),
            ("themes", "theme_id"),
            ("sdgs", "sdg_id"),
            ("needs", "need_id"),
        )
    }
    profiles = [
        rules.ItemProfile(
            id=item.pk,
            kinds=frozenset(links["organization_kinds"].get(item.pk, ())),
            departements=frozenset(links["departements"].get(item.pk, ())),
            countries=frozenset(links["countries"].get(item.pk, ())),
            zones=frozenset(item.zones or ()),
            themes=frozenset(links["themes"].get(item.pk, ())),
            sdgs=frozenset(links["sdgs"].get(item.pk, ())),
            needs=frozenset(links["needs"].get(item.pk, ())),
        )
        for item in instances
    ]
    return instances, rules.ItemIndex(profiles)


def _chunks(ids: Iterable[int]) -> Iterator[tuple[list[int], bool]]:
    """Sorted chunks of `ids`, each with whether it is dense enough to be read by range."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if chunk[-1] - chunk[0] < 4 * len(chunk):
            yield chunk, True
        else:
            for sub in range(0, len(chunk), SPARSE_CHUNK):
                yield chunk[sub : sub + SPARSE_CHUNK], False


def _organization_profiles(
    ids: list[int], dense: bool, continent_of: dict[int, str]
) -> list[rules.OrganizationProfile]:
    """The profiles of the organisations `ids`: seven queries, whatever their number."""

    def rows(queryset: QuerySet, owner: str) -> QuerySet:
        return queryset if dense else queryset.filter(**{f"{owner}__in": ids})

    def links(queryset: QuerySet, owner: str, value: str) -> dict[int, list]:
        return grouped_by_owner(rows(queryset, owner), owner, value, ids, ordered=False)

    themes = links(Organization.themes.through.objects.all(), "organization_id", "theme_id")
    sdgs = links(Organization.sdgs.through.objects.all(), "organization_id", "sdg_id")
    needs = links(Organization.needs.through.objects.all(), "organization_id", "need_id")
    countries = links(Organization.countries.through.objects.all(), "organization_id", "country_id")
    places = links(InterventionPlace.objects.all(), "organization_id", "country_id")
    project_countries = links(
        ProjectPartner.objects.filter(project__countries__isnull=False),
        "organization_id",
        "project__countries",
    )
    heads = {
        pk: (kind_id, departement_id)
        for pk, kind_id, departement_id in rows(
            Organization.objects.filter(**id_range("id", ids)), "id"
        ).values_list("id", "kind_id", "departement_id")
    }
    profiles = []
    for pk in ids:
        if pk not in heads:
            continue
        kind_id, departement_id = heads[pk]
        acting = frozenset(
            [*countries.get(pk, ()), *places.get(pk, ()), *project_countries.get(pk, ())]
        )
        profiles.append(
            rules.OrganizationProfile(
                id=pk,
                kind_id=kind_id,
                departement_id=departement_id,
                countries=acting,
                continents=frozenset(continent_of[country] for country in acting),
                themes=frozenset(themes.get(pk, ())),
                sdgs=frozenset(sdgs.get(pk, ())),
                needs=frozenset(needs.get(pk, ())),
            )
        )
    return profiles


def iter_matches_for_organizations(
    *,
    organization_ids: Iterable[int],
    items: QuerySet | None = None,
    today: datetime.date | None = None,
    per_organization: int | None = 10,
) -> Iterator[tuple[int, list[Match]]]:
    """(organisation id, its matches best first), a chunk of organisations at a time."""
    instances, index = _item_index(open_opportunities(items=items, today=today))
    continent_of = dict(Country.objects.values_list("pk", "continent"))
    names = rules.Names(load=_names)
    for chunk, dense in _chunks(organization_ids):
        for organization in _organization_profiles(chunk, dense, continent_of):
            yield (
                organization.id,
                [
                    Match(instances[position], points, profile, organization, names)
                    for position, profile, points in index.rank(
                        organization, limit=per_organization
                    )
                ],
            )


def matches_for_organizations(
    *,
    organization_ids: Iterable[int],
    items: QuerySet | None = None,
    today: datetime.date | None = None,
    per_organization: int | None = 10,
) -> dict[int, list[Match]]:
    """{organisation id: its best matches}; the queries do not grow with the organisations."""
    organization_ids = list(organization_ids)
    found = dict(
        iter_matches_for_organizations(
            organization_ids=organization_ids,
            items=items,
            today=today,
            per_organization=per_organization,
        )
    )
    return {pk: found.get(pk, []) for pk in organization_ids}


def opportunities_for(
    *,
    organization: Organization,
    today: datetime.date | None = None,
    limit: int | None = 20,
    kinds: Iterable[str] | None = None,
) -> list[Match]:
    """The open opportunities that fit `organization`, best first (of `kinds` when given)."""
    items = WatchItem.objects.filter(kind__in=list(kinds)) if kinds else None
    return matches_for_organizations(
        organization_ids=[organization.pk], items=items, today=today, per_organization=limit
    )[organization.pk]


def item_link(item: WatchItem) -> str:
    """The item's page on the site, or its source when the site has no page for it."""
    try:
        return item.get_absolute_url()
    except NoReverseMatch:
        return item.source_url


def organization_subscriptions(organization: Organization) -> QuerySet:
    """Every digest subscription of the organisation, current ones first."""
    return DigestSubscription.objects.filter(organization=organization).order_by(
        F("unsubscribed_at").desc(nulls_first=True), "-opted_in_at"
    )
