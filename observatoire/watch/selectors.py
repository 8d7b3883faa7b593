"""Reads of the watch: the open items other parts show, the public list, the staff queue."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from observatoire.core.public_cache import cached_public
from observatoire.core.text import fold
from observatoire.referentials.models import Country, OrganizationKind, Theme

from .models import WatchFeed, WatchItem, WatchKind

ELIGIBILITY = ["organization_kinds", "countries", "departements", "themes", "sdgs", "needs", "tags"]
SOON_DAYS = 7
MONTH_DAYS = 31
MAX_SEARCH_WORDS = 8


def _with_eligibility(items: QuerySet[WatchItem]) -> QuerySet[WatchItem]:
    return items.select_related("funder_organization").prefetch_related(*ELIGIBILITY)


def _soonest_first(items: QuerySet[WatchItem]) -> QuerySet[WatchItem]:
    # Items without a deadline come after the dated ones, on SQLite as on PostgreSQL.
    return items.order_by(F("deadline").asc(nulls_last=True), "-published_at", "pk")


def open_items(*, kinds: list[str] | None = None, limit: int | None = None) -> QuerySet[WatchItem]:
    """Published items not past their deadline, soonest deadline first, eligibility prefetched."""
    items = WatchItem.objects.open()
    if kinds:
        items = items.filter(kind__in=kinds)
    items = _soonest_first(_with_eligibility(items))
    if limit is not None:
        items = items[: max(0, limit)]
    return items


@dataclass(frozen=True)
class PublicFilters:
    """The filters of the public list, read from the query string; bad values are dropped."""

    kind: str = ""
    due: str = ""  # "7" (within a week), "31" (within the month) or ""
    before: datetime.date | None = None
    theme: str = ""
    country: str = ""  # ISO alpha-2
    organization_kind: str = ""
    q: str = ""

    DUE_CHOICES = ("7", "31")

    @classmethod
    def from_params(cls, params) -> "PublicFilters":
        def one(name: str) -> str:
            value = params.get(name, "")
            return value.strip()[:100] if isinstance(value, str) else ""

        kind = one("type")
        due = one("echeance")
        try:
            before = datetime.date.fromisoformat(one("avant")) if one("avant") else None
        except ValueError:
            before = None
        country = one("pays").upper()
        return cls(
            kind=kind if kind in WatchKind.values else "",
            due=due if due in cls.DUE_CHOICES else "",
            before=before,
            theme=one("theme"),
            country=country if len(country) == 2 and country.isalpha() else "",
            organization_kind=one("structure"),
            q=one("q"),
        )

    def as_params(self) -> dict[str, str]:
        """The query string of these filters (for pagination links and the feeds)."""
        values = {
            "type": self.kind,
            "echeance": self.due,
            "avant": self.before.isoformat() if self.before else "",
            "theme": self.theme,
            "pays": self.country,
            "structure": self.organization_kind,
            "q": self.q,
        }
        return {name: value for name, value in values.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.as_params())


def search_text_for(item: WatchItem) -> str:
    """What the free-text filter searches: title, summary and funder, folded."""
    return fold(" ".join([item.title, item.funder, item.summary]))[:6000]


def public_items(
    *, filters: PublicFilters | None = None, today: datetime.date | None = None
) -> QuerySet[WatchItem]:
    """The open published items the public list shows, filtered, soonest deadline first."""
    today = today or timezone.localdate()
    filters = filters or PublicFilters()
    items = WatchItem.objects.open(today=today)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.due:
        items = items.filter(deadline__lte=today + datetime.timedelta(days=int(filters.due)))
    if filters.before:
        items = items.filter(deadline__lte=filters.before)
    if filters.theme:
        items = items.filter(themes__slug=filters.theme)
    if filters.country:
        country = Country.objects.filter(iso2=filters.country).only("pk", "continent").first()
        if country is not None:
            # Open to the country itself, to its whole continent, or to anywhere (nothing listed).
            items = items.filter(
                Q(countries=country)
                | Q(pk__in=_open_to_zone(items, country.continent))
                | (Q(countries__isnull=True) & Q(zones=[]))
            )
    if filters.organization_kind:
        items = items.filter(
            Q(organization_kinds__slug=filters.organization_kind)
            | Q(organization_kinds__isnull=True)
        )
    for word in fold(filters.q).split()[:MAX_SEARCH_WORDS]:
        items = items.filter(search_text__contains=word)
    # The many-to-many joins above may repeat an item: select the ids, then the items.
    return _soonest_first(_with_eligibility(WatchItem.objects.filter(pk__in=items.values("pk"))))


def _open_to_zone(items: QuerySet[WatchItem], continent: str) -> list[int]:
    # JSON containment differs between SQLite and PostgreSQL; the open items are a few hundred.
    return [pk for pk, zones in items.values_list("pk", "zones") if continent in (zones or [])]


def public_item(slug: str) -> WatchItem:
    """The published or expired item at `slug` (expired ones stay reachable), or 404."""
    item = (
        _with_eligibility(WatchItem.objects.filter(slug=slug))
        .filter(status__in=[WatchItem.Status.PUBLISHED, WatchItem.Status.EXPIRED])
        .first()
    )
    if item is None:
        raise Http404
    return item


def is_closed(item: WatchItem, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return item.status == WatchItem.Status.EXPIRED or (
        item.deadline is not None and item.deadline < today
    )


def filter_choices() -> dict:
    """The vocabularies the public filters offer, cached until the public data changes."""
    return cached_public("watch:filter-choices", _filter_choices)


def _filter_choices() -> dict:
    return {
        "themes": list(Theme.objects.active().only("pk", "slug", "name_fr", "name_en")),
        "organization_kinds": list(
            OrganizationKind.objects.active().only("pk", "slug", "name_fr", "name_en")
        ),
        "countries": list(Country.objects.only("pk", "iso2", "name_fr", "name_en")),
    }


def queue_counts() -> dict[str, int]:
    """How many items each tab of the staff queue holds, by status."""
    counts = dict.fromkeys(WatchItem.Status.values, 0)
    for row in WatchItem.objects.values("status").annotate(n=Count("pk")).order_by():
        counts[row["status"]] = row["n"]
    return counts


def queue_items(*, status: str) -> QuerySet[WatchItem]:
    """The items of one tab of the staff queue, with where they were seen."""
    items = WatchItem.objects.filter(status=status).select_related("qualified_by", "created_by")
    items = items.prefetch_related("sources__feed", "themes")
    if status == WatchItem.Status.TO_QUALIFY:
        return items.order_by("-created_at", "-pk")
    if status == WatchItem.Status.PUBLISHED:
        return _soonest_first(items)
    return items.order_by("-updated_at", "-pk")


def feeds_overview() -> QuerySet[WatchFeed]:
    """The feeds staff manage, with how many items each brought."""
    return WatchFeed.objects.annotate(sighting_count=Count("sightings")).order_by("name")
