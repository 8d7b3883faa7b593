"""The public search engine of the directory and the project panorama.

A search is a query (`q`), facet filters (OR inside a facet, AND across facets) and a sort, read
from GET parameters; unknown parameters and values are ignored. Results come from the public
index (`portal.models`): only listed records, only their public fields. `filtered_organizations`
and `filtered_projects` are the entry points the maps share with the lists.
"""

import hashlib
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatoire.core.public_cache import cached_public, cached_public_local
from observatoire.organizations.models import Membership, Organization
from observatoire.projects.models import Phase, Project
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    Country,
    Departement,
    OrganizationKind,
    Theme,
)

from .facet_index import bitset_of, facet_index, keys_of
from .fulltext import among_keys_sql, matching_keys_sql, ranked_keys
from .index import listed_organizations
from .models import OrganizationEntry, OrganizationFacet, ProjectEntry, ProjectFacet
from .text import MAX_QUERY_CHARACTERS, query_terms

PER_PAGE = 20
MAX_VALUES = 50  # per facet in a URL; more are ignored
FACET_SHOWN = 30  # values listed per facet, the most frequent first (selected ones always)
# Up to this many entries kept by the facet filters, the page is ranked among their keys (a
# temporary table with SQLite); beyond, the filters go into the SQL as subqueries.
SMALL_SET = 10000


# Labels of facet values, per language, cached until the public data changes.


def _cached_labels(name: str, compute: Callable[[], dict[str, str]]) -> dict[str, str]:
    return cached_public_local(f"portal-labels:{name}:{get_language()}", compute)


def _vocabulary(model) -> Callable[[list[str] | None], dict[str, str]]:
    def labels(values=None):
        found = _cached_labels(
            model._meta.label, lambda: {v.slug: v.name for v in model.objects.all()}
        )
        return found if values is None else {v: found[v] for v in values if v in found}

    return labels


def _from_map(name: str, compute: Callable[[], dict[str, str]]):
    def labels(values=None):
        found = _cached_labels(name, compute)
        return found if values is None else {v: found[v] for v in values if v in found}

    return labels


def _lead_labels(values=None):
    # Thousands of organisations lead projects: only the labels asked for are looked up.
    if values is None:
        return {}
    return dict(listed_organizations().filter(slug__in=values).values_list("slug", "name"))


def sdg_colors() -> dict[str, str]:
    return cached_public_local(
        "portal-sdg-colors",
        lambda: {str(n): c for n, c in SDG.objects.values_list("number", "color")},
    )


def _member_labels(values=None):
    year = timezone.localdate().year
    found = {"1": str(_("Member of the network in %(year)d") % {"year": year})}
    return found if values is None else {v: found[v] for v in values if v in found}


@dataclass(frozen=True)
class Facet:
    name: str
    label: Promise
    labels: Callable[[list[str] | None], dict[str, str]]
    # A facet computed live rather than from the index (membership changes every year).
    live: bool = False


@dataclass(frozen=True)
class Engine:
    key: str
    model: Any
    entry_model: Any
    facet_model: Any
    facets: list[Facet]
    sorts: dict[str, list[str]]

    def facet(self, name: str) -> Facet | None:
        return next((f for f in self.facets if f.name == name), None)


COUNTRY = Facet(
    "country",
    _("Country"),
    _from_map("country", lambda: {c.iso2: c.name for c in Country.objects.all()}),
)
THEME = Facet("theme", _("Theme"), _vocabulary(Theme))
SDG_FACET = Facet(
    "sdg",
    _("Sustainable Development Goal"),
    _from_map(
        "sdg", lambda: {str(s.number): f"{s.number}. {s.short_name}" for s in SDG.objects.all()}
    ),
)

ORGANIZATIONS = Engine(
    key="organizations",
    model=Organization,
    entry_model=OrganizationEntry,
    facet_model=OrganizationFacet,
    facets=[
        Facet("kind", _("Kind of organisation"), _vocabulary(OrganizationKind)),
        Facet(
            "departement",
            _("Département"),
            _from_map(
                "departement",
                lambda: {d.code: f"{d.name} ({d.code})" for d in Departement.objects.all()},
            ),
        ),
        THEME,
        SDG_FACET,
        COUNTRY,
        Facet("action", _("Kind of action"), _vocabulary(ActionKind)),
        Facet("member", _("Membership"), _member_labels, live=True),
    ],
    sorts={
        "name": ["sort_name", "pk"],
        "updated": ["-updated_at", "pk"],
    },
)

PROJECTS = Engine(
    key="projects",
    model=Project,
    entry_model=ProjectEntry,
    facet_model=ProjectFacet,
    facets=[
        COUNTRY,
        THEME,
        SDG_FACET,
        Facet(
            "phase",
            _("Phase"),
            _from_map("phase", lambda: {v: str(label) for v, label in Phase.choices}),
        ),
        Facet("lead", _("Lead organisation"), _lead_labels),
        Facet("funder_type", _("Kind of funder"), _vocabulary(OrganizationKind)),
    ],
    sorts={
        "name": ["sort_name", "pk"],
        "updated": ["-updated_at", "pk"],
    },
)

SORT_LABELS = {"relevance": _("Relevance"), "name": _("Name"), "updated": _("Latest update")}


@dataclass
class Search:
    engine: Engine
    q: str = ""
    terms: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "name"
    page: int = 1
    # Label maps read once per page: each read of the cache is a query with the database cache.
    label_cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def labels(self, facet: Facet, values: list[str]) -> dict[str, str]:
        if facet.name == "lead":  # thousands of leads: only those asked for
            return facet.labels(values)
        if facet.name not in self.label_cache:
            self.label_cache[facet.name] = facet.labels(None)
        found = self.label_cache[facet.name]
        return {v: found[v] for v in values if v in found}

    def sdg_colors(self) -> dict[str, str]:
        if "sdg-colors" not in self.label_cache:
            self.label_cache["sdg-colors"] = sdg_colors()
        return self.label_cache["sdg-colors"]

    def cache_key(self) -> str:
        state = repr((self.engine.key, self.terms, sorted(self.filters.items())))
        return hashlib.sha256(state.encode()).hexdigest()


def parse_search(engine: Engine, params: QueryDict) -> Search:
    """The search described by GET `params`; what is unknown or malformed is left out."""
    q = " ".join(str(params.get("q", ""))[:MAX_QUERY_CHARACTERS].split())
    search = Search(engine=engine, q=q, terms=query_terms(q))
    for facet in engine.facets:
        asked = list(dict.fromkeys(v.strip()[:100] for v in params.getlist(facet.name)))
        asked = [v for v in asked[:MAX_VALUES] if v]
        known = search.labels(facet, asked) if asked else {}
        if known:
            search.filters[facet.name] = [v for v in asked if v in known]
    sorts = [*(["relevance"] if search.terms else []), *engine.sorts]
    sort = params.get("sort", "")
    search.sort = sort if sort in sorts else sorts[0]
    try:
        search.page = max(1, int(params.get("page", "1")))
    except (TypeError, ValueError):
        search.page = 1
    return search


def _member_filter(queryset: QuerySet) -> QuerySet:
    year = timezone.localdate().year
    return queryset.filter(pk__in=Membership.objects.up_to_date(year).values("organization_id"))


def matching_entries(
    search: Search, *, exclude: str = "", with_terms: bool = True, with_filters: bool = True
) -> QuerySet:
    """The index entries matching `search`, leaving out the filter of facet `exclude`."""
    engine = search.engine
    queryset = engine.entry_model.objects.all()
    if with_terms and search.terms:
        sql, params = matching_keys_sql(engine.entry_model, search.terms)
        queryset = queryset.filter(pk__in=RawSQL(sql, params))
    for name, values in search.filters.items():
        if name == exclude or not with_filters:
            continue
        if engine.facet(name).live:
            queryset = _member_filter(queryset)
        else:
            queryset = queryset.filter(
                pk__in=engine.facet_model.objects.filter(facet=name, value__in=values).values(
                    "entry_id"
                )
            )
    return queryset


def apply_search(search: Search) -> QuerySet:
    """The listed records (organisations or projects) matching `search`."""
    return search.engine.model.objects.filter(pk__in=matching_entries(search).values("pk"))


def _narrowed(search: Search, exclude: str = "") -> bool:
    return bool(search.terms) or any(name != exclude for name in search.filters)


def filtered_organizations(params: QueryDict) -> QuerySet:
    """Listed organisations matching the directory's `q` and facets in `params`."""
    return apply_search(parse_search(ORGANIZATIONS, params))


def filtered_projects(params: QueryDict) -> QuerySet:
    """Published projects matching the panorama's `q` and facets in `params`."""
    return apply_search(parse_search(PROJECTS, params))


def _member_bits() -> int:
    """Bitset of the organisations whose membership is up to date, shared by every search until
    the public data changes (reading the memberships is a scan of the table)."""
    year = timezone.localdate().year
    sql, params = (
        Membership.objects.up_to_date(year)
        .order_by()
        .values_list("organization_id")
        .query.sql_with_params()
    )
    return cached_public_local(
        f"portal-members:{year}", lambda: bitset_of(sql, params, "organization_id")
    )


def _filter_bits(search: Search, index) -> dict[str, int]:
    """Per active filter, the bitset of the index entries it keeps."""
    engine = search.engine
    members = None
    filters = {}
    for name, values in search.filters.items():
        if engine.facet(name).live:
            members = _member_bits() & index.entries if members is None else members
            filters[name] = members
        else:
            filters[name] = index.having(name, values)
    return filters


def _among(start: int | None, filters: dict[str, int], exclude: str = "") -> int | None:
    """`start` (None: every entry) narrowed by the `filters` other than `exclude`."""
    bits = start
    for name, having in filters.items():
        if name != exclude:
            bits = having if bits is None else bits & having
    return bits


def _counts(search: Search) -> dict[str, Any]:
    """The total and, per facet, [(value, count)] under the other facets' filters.

    Counted in memory (`portal.facet_index`): the entries matching the words and each filter
    as bitsets, then per facet value an AND and a popcount."""
    engine = search.engine
    index = facet_index(engine.key, engine.entry_model, engine.facet_model)
    words = None
    if search.terms:
        sql, params = matching_keys_sql(engine.entry_model, search.terms)
        words = bitset_of(sql, params, "k") & index.entries
    filters = _filter_bits(search, index)
    counts: dict[str, list[tuple[str, int]]] = {}
    for facet in engine.facets:
        entries = _among(words, filters, exclude=facet.name)
        if facet.live:
            members = filters.get(facet.name)
            if members is None:
                members = _member_bits() & index.entries
            live = members & (index.entries if entries is None else entries)
            counts[facet.name] = [("1", live.bit_count())]
        else:
            counts[facet.name] = index.values(facet.name, entries)
    matching = _among(words, filters)
    total = (index.entries if matching is None else matching).bit_count()
    return {"total": total, "facets": counts}


def search_counts(search: Search) -> dict[str, Any]:
    return cached_public(f"portal-counts:{search.cache_key()}", lambda: _counts(search))


def _facets_for_display(search: Search, counts: dict[str, list[tuple[str, int]]]) -> list[dict]:
    facets = []
    for facet in search.engine.facets:
        selected = search.filters.get(facet.name, [])
        rows = [(v, n) for v, n in counts[facet.name] if n or v in selected]
        shown = rows[:FACET_SHOWN] + [(v, n) for v, n in rows[FACET_SHOWN:] if v in selected]
        labels = search.labels(facet, [v for v, _n in shown])
        values = [
            {"value": v, "label": labels.get(v, v), "count": n, "selected": v in selected}
            for v, n in shown
            if v in labels
        ]
        if facet.name != "lead":
            values.sort(key=lambda item: (not item["selected"], -item["count"], item["label"]))
        facets.append({"name": facet.name, "label": facet.label, "values": values})
    return facets


def _filtered_keys(search: Search) -> list[int] | None:
    """The keys the facet filters keep, from the in-memory facet index, when there are filters
    and at most SMALL_SET such keys; else None (the filters are then applied in SQL)."""
    if not search.filters:
        return None
    engine = search.engine
    index = facet_index(engine.key, engine.entry_model, engine.facet_model)
    bits = _among(None, _filter_bits(search, index))
    return keys_of(bits) if bits.bit_count() <= SMALL_SET else None


def _page_keys(search: Search, offset: int) -> list[int]:
    engine = search.engine
    kept = _filtered_keys(search)
    if search.sort == "relevance":
        among = kept
        if among is None and search.filters:
            among = matching_entries(search, with_terms=False).values("pk")
        return ranked_keys(engine.entry_model, search.terms, among, offset=offset, limit=PER_PAGE)
    if kept is None:
        ordered = matching_entries(search)
    else:
        sql, params = among_keys_sql(kept)
        ordered = matching_entries(search, with_filters=False).filter(pk__in=RawSQL(sql, params))
    ordered = ordered.order_by(*engine.sorts[search.sort])
    return list(ordered.values_list("pk", flat=True)[offset : offset + PER_PAGE])


def _facet_values_of(search: Search, keys: list[int]) -> dict[int, dict[str, list[str]]]:
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = search.engine.facet_model.objects.filter(entry_id__in=keys).values_list(
        "entry_id", "facet", "value"
    )
    for key, facet, value in rows:
        found[key][facet].append(value)
    return found


def _labelled(search: Search, facet: Facet, values: list[str]) -> list[str]:
    labels = search.labels(facet, values)
    return sorted(labels[v] for v in values if v in labels)


def _dark(color: str) -> bool:
    """Whether black text reads better than white on `color` (#rrggbb), by WCAG luminance."""
    try:
        channels = [int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    except ValueError:
        return False
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05)


def _sdg_tiles(search: Search, values: list[str]) -> list[dict]:
    labels, colors = search.labels(SDG_FACET, values), search.sdg_colors()
    return [
        {
            "number": int(v),
            "label": labels[v],
            "color": colors.get(v, "#5b6b7a"),
            "text": "#000" if _dark(colors.get(v, "")) else "#fff",
        }
        for v in sorted(values, key=int)
        if v in labels
    ]


def _organization_results(search: Search, keys: list[int]) -> list[dict]:
    engine = ORGANIZATIONS
    departement = engine.facet("departement")
    records = Organization.objects.filter(pk__in=keys).select_related("commune", "seat_country")
    by_key = {record.pk: record for record in records}
    values = _facet_values_of(search, keys)
    results = []
    for key in keys:
        org, facets = by_key[key], values[key]
        results.append(
            {
                "name": org.name,
                "slug": org.slug,
                "url": reverse("portal:organization", args=[org.slug]),
                "kind": _labelled(search, engine.facet("kind"), facets["kind"])[0:1],
                "town": org.commune.name if org.commune else org.seat_locality,
                "departement": _labelled(search, departement, facets["departement"]),
                "themes": _labelled(search, THEME, facets["theme"]),
                "sdgs": _sdg_tiles(search, facets["sdg"]),
                "countries": _labelled(search, COUNTRY, facets["country"]),
            }
        )
    return results


def _project_results(search: Search, keys: list[int]) -> list[dict]:
    from observatoire.projects.models import PROJECT_VISIBILITY_DEFAULTS

    from .index import _public

    engine = PROJECTS
    by_key = {p.pk: p for p in Project.objects.filter(pk__in=keys)}
    values = _facet_values_of(search, keys)
    leads = engine.facet("lead").labels([v for f in values.values() for v in f["lead"]])
    results = []
    for key in keys:
        project, facets = by_key[key], values[key]
        public_summary = _public(project, "summary", PROJECT_VISIBILITY_DEFAULTS)
        results.append(
            {
                "name": project.title,
                "slug": project.slug,
                "url": reverse("portal:project", args=[project.slug]),
                "summary": project.summary if public_summary else "",
                "phase": _labelled(search, engine.facet("phase"), facets["phase"]),
                "lead": [leads[v] for v in facets["lead"] if v in leads],
                "themes": _labelled(search, THEME, facets["theme"]),
                "sdgs": _sdg_tiles(search, facets["sdg"]),
                "countries": _labelled(search, COUNTRY, facets["country"]),
            }
        )
    return results


def _url(params: QueryDict, **changes) -> str:
    query = params.copy()
    for name, values in changes.items():
        query.setlist(name, values)
    query.pop("format", None)
    return "?" + query.urlencode()


def _links(search: Search, params: QueryDict, facets: list[dict], pages: int) -> dict[str, Any]:
    """URLs of the same search without one active filter, and of the neighbouring pages."""
    active = []
    for facet in facets:
        selected = search.filters.get(facet["name"], [])
        for item in facet["values"]:
            if item["selected"]:
                others = [v for v in selected if v != item["value"]]
                active.append(
                    {
                        "facet": facet["label"],
                        "label": item["label"],
                        "remove_url": _url(params, **{facet["name"]: others, "page": []}),
                    }
                )
    return {
        "active_filters": active,
        "clear_url": _url(params, **{f.name: [] for f in search.engine.facets}, page=[]),
        "previous_url": _url(params, page=[str(search.page - 1)]) if search.page > 1 else "",
        "next_url": _url(params, page=[str(search.page + 1)]) if search.page < pages else "",
    }


def search_page(engine: Engine, params: QueryDict) -> dict[str, Any]:
    """Everything a results page shows: results, facets with counts, total and pagination."""
    search = parse_search(engine, params)
    counts = search_counts(search)
    total = counts["total"]
    pages = max(1, math.ceil(total / PER_PAGE))
    search.page = min(search.page, pages)
    keys = _page_keys(search, (search.page - 1) * PER_PAGE) if total else []
    build = _organization_results if engine is ORGANIZATIONS else _project_results
    facets = _facets_for_display(search, counts["facets"])
    return {
        **_links(search, params, facets, pages),
        "search": search,
        "total": total,
        "page": search.page,
        "pages": pages,
        "results": build(search, keys) if keys else [],
        "facets": facets,
        "sorts": [
            {"value": v, "label": SORT_LABELS[v]}
            for v in ([*(["relevance"] if search.terms else []), *engine.sorts])
        ],
    }
