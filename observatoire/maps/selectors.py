"""What the public maps show: filtered organisations and projects, points, counts and lines.

Only public data: qualified, non-merged organisations and published projects, placed where the
public may see them (an organisation whose address is hidden sits at its commune's centre; a
project whose places are hidden has no point). Every answer is a compact list of arrays, cached
with `cached_public`, and points turn into grid clusters computed by the database when a request
would return too many of them.
"""

import hashlib
import json
import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Floor
from django.http import QueryDict

from observatoire.core.public_cache import cached_public
from observatoire.organizations.models import Organization, Visibility
from observatoire.partnerships.models import Partnership
from observatoire.portal.index import listed_organizations
from observatoire.portal.search import filtered_organizations, filtered_projects
from observatoire.projects.models import PROJECT_VISIBILITY_DEFAULTS, Project, ProjectPlace
from observatoire.referentials.models import (
    Commune,
    Country,
    Departement,
    Region,
)

# Above this many points in a request, the map gets grid clusters instead.
MAX_POINTS = 1500
MAX_VALUES = 20
MAX_ZOOM = 18
HIDDEN = [Visibility.MEMBERS, Visibility.STAFF]
OUTLINES = Path(__file__).resolve().parent / "static" / "maps"


def param_values(params: Mapping, name: str) -> list[str]:
    """The non-empty values of a repeated query parameter, from a QueryDict or a plain dict."""
    if hasattr(params, "getlist"):
        values = params.getlist(name)
    else:
        value = params.get(name, [])
        values = value if isinstance(value, list | tuple) else [value]
    cleaned = [str(v).strip()[:100] for v in values if str(v).strip()]
    return list(dict.fromkeys(cleaned))[:MAX_VALUES]


def _numbers(params: Mapping, name: str) -> list[int]:
    return [int(v) for v in param_values(params, name) if v.isdigit() and len(v) < 4]


def _countries(params: Mapping) -> list[str]:
    return [code.upper() for code in param_values(params, "country")]


def filter_key(params: Mapping, names: list[str]) -> str:
    """A stable cache key part for the filters among `names` (others are ignored)."""
    filters = json.dumps({n: sorted(param_values(params, n)) for n in names}, sort_keys=True)
    return hashlib.sha256(filters.encode()).hexdigest()[:32]


ORGANIZATION_FILTERS = ["q", "kind", "departement", "theme", "sdg", "country", "action", "member"]
PROJECT_FILTERS = ["q", "country", "theme", "sdg", "phase", "lead", "funder_type"]


def map_organizations(params: Mapping) -> QuerySet[Organization]:
    """Listed organisations matching the directory's filters: the directory's own search."""
    return filtered_organizations(_query_dict(params))


def map_projects(params: Mapping) -> QuerySet[Project]:
    """Published projects matching the panorama's filters: the panorama's own search."""
    return filtered_projects(_query_dict(params))


def _query_dict(params: Mapping) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, list(value) if isinstance(value, list | tuple) else [value])
    return query


def _hidden(field: str, prefix: str = "") -> Q:
    return Q(**{f"{prefix}field_visibility__{field}__in": HIDDEN})


def _public(field: str, prefix: str = "", default_public: bool = True) -> Q:
    """Rows whose `field` the public sees (written positively: JSON keys and NOT mix badly)."""
    public = Q(**{f"{prefix}field_visibility__{field}": Visibility.PUBLIC})
    if default_public:
        public |= Q(**{f"{prefix}field_visibility__{field}__isnull": True})
    return public


def _commune_axis(axis: str, prefix: str = "") -> Subquery:
    commune = Commune.objects.filter(pk=OuterRef(f"{prefix}commune_id")).order_by()
    return Subquery(commune.values(axis)[:1])


def _organization_coordinates(prefix: str = "") -> tuple[Case, Case]:
    """Coordinates the public may see: the seat, or the commune when the address is hidden.

    Organisations are placed at their commune's centre unless staff overrode the coordinates,
    so only overridden ones with a hidden address need the commune (a subquery the database runs
    for those rows alone, instead of a join on every row).
    """
    place = []
    for axis in ("latitude", "longitude"):
        commune = _commune_axis(axis, prefix)
        place.append(
            Case(
                When(
                    Q(**{f"{prefix}coordinates_overridden": True})
                    & _hidden("address_line1", prefix),
                    then=commune,
                ),
                When(**{f"{prefix}{axis}__isnull": True}, then=commune),
                default=F(f"{prefix}{axis}"),
                output_field=FloatField(),
            )
        )
    return place[0], place[1]


def _zoom(params: Mapping, default: int) -> int:
    values = _numbers(params, "zoom")
    return min(values[0], MAX_ZOOM) if values else default


def _bbox(params: Mapping) -> tuple[float, float, float, float] | None:
    """The requested west, south, east, north bounds, widened to a 0.5° grid so they cache well."""
    values = param_values(params, "bbox")
    if not values:
        return None
    try:
        west, south, east, north = (float(v) for v in values[0].split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return None
    return (
        max(math.floor(west * 2) / 2, -180),
        max(math.floor(south * 2) / 2, -90),
        min(math.ceil(east * 2) / 2, 180),
        min(math.ceil(north * 2) / 2, 90),
    )


def _key(bbox) -> str:
    return "all" if bbox is None else "_".join(f"{v:g}" for v in bbox)


def _in_bbox(queryset: QuerySet, bbox) -> QuerySet:
    if bbox is None:
        return queryset
    west, south, east, north = bbox
    return queryset.filter(
        map_lat__gte=south, map_lat__lte=north, map_lon__gte=west, map_lon__lte=east
    )


def _points_or_clusters(queryset: QuerySet, fields: list[str], zoom: int) -> dict:
    """Points `[lat, lon, *fields]`, or clusters `[lat, lon, count]` on a grid fitted to `zoom`.

    The points are read first, stopping one past the limit; only when there are too many does
    the database group them on the grid, in one pass over the rows.
    """
    located = queryset.filter(map_lat__isnull=False, map_lon__isnull=False).order_by()
    rows = list(located.values_list("map_lat", "map_lon", *fields)[: MAX_POINTS + 1])
    if len(rows) <= MAX_POINTS:
        points = [[round(float(lat), 4), round(float(lon), 4), *rest] for lat, lon, *rest in rows]
        return {"total": len(points), "points": points, "clusters": []}
    # A quarter of a 256-pixel tile at this zoom: a few dozen clusters on a screen.
    size = 360 / (2**zoom) / 4
    cells = (
        located.annotate(
            cell_y=Cast(Floor(F("map_lat") / size), IntegerField()),
            cell_x=Cast(Floor(F("map_lon") / size), IntegerField()),
        )
        .values("cell_y", "cell_x")
        .annotate(n=Count("pk"), lat=Avg("map_lat"), lon=Avg("map_lon"))
        .values_list("lat", "lon", "n")
    )
    clusters = [[round(float(lat), 4), round(float(lon), 4), n] for lat, lon, n in cells]
    return {"total": sum(c[2] for c in clusters), "points": [], "clusters": clusters}


def organization_points(params: Mapping) -> dict:
    """Where the matching organisations are: `{"total", "points", "clusters"}` for one view."""
    zoom, bbox = _zoom(params, 7), _bbox(params)
    key = f"maps:organizations:{filter_key(params, ORGANIZATION_FILTERS)}:{zoom}:{_key(bbox)}"

    def compute():
        lat, lon = _organization_coordinates()
        queryset = map_organizations(params).annotate(map_lat=lat, map_lon=lon)
        return _points_or_clusters(_in_bbox(queryset, bbox), ["name", "slug"], zoom)

    return cached_public(key, compute)


def project_places(params: Mapping) -> QuerySet[ProjectPlace]:
    """Places of the matching projects whose places are public, with their coordinates."""
    default_public = PROJECT_VISIBILITY_DEFAULTS["places"] == Visibility.PUBLIC
    queryset = ProjectPlace.objects.filter(
        _public("places", "project__", default_public), project__in=map_projects(params)
    )
    lat, lon = (
        Case(
            When(**{f"{axis}__isnull": True}, then=_commune_axis(axis)),
            default=F(axis),
            output_field=FloatField(),
        )
        for axis in ("latitude", "longitude")
    )
    return queryset.annotate(map_lat=lat, map_lon=lon)


def project_points(params: Mapping) -> dict:
    """Where the matching projects act: `{"total", "points", "clusters"}` for one view."""
    zoom, bbox = _zoom(params, 2), _bbox(params)
    key = f"maps:projects:{filter_key(params, PROJECT_FILTERS)}:{zoom}:{_key(bbox)}"

    def compute():
        queryset = _in_bbox(project_places(params), bbox)
        return _points_or_clusters(queryset, ["project__title", "project__slug", "name"], zoom)

    return cached_public(key, compute)


def _per_country(key: str, model, owners: QuerySet, hidden: QuerySet | None = None) -> dict:
    """`{iso2: n}` over the `countries` links of `owners` (rows of `model`), less `hidden` ones."""
    owner = model._meta.model_name

    def compute():
        # A link is unique per (owner, country): no DISTINCT needed.
        links = model.countries.through.objects.filter(**{f"{owner}__in": owners})
        if hidden is not None:
            links = links.exclude(**{f"{owner}__in": hidden})
        rows = dict(links.order_by().values_list("country_id").annotate(n=Count(f"{owner}_id")))
        codes = dict(Country.objects.filter(pk__in=rows).values_list("pk", "iso2"))
        return {codes[pk]: n for pk, n in rows.items()}

    return cached_public(key, compute)


def organization_country_counts(params: Mapping) -> dict[str, int]:
    """Matching organisations per country of intervention (iso2), where they show it."""
    # The few hiding their countries are subtracted: cheaper than checking every row's JSON.
    return _per_country(
        f"maps:organization-countries:{filter_key(params, ORGANIZATION_FILTERS)}",
        Organization,
        map_organizations(params),
        hidden=listed_organizations().filter(_hidden("countries")).values("pk"),
    )


def project_country_counts(params: Mapping) -> dict[str, int]:
    """Matching projects per country."""
    return _per_country(
        f"maps:project-countries:{filter_key(params, PROJECT_FILTERS)}",
        Project,
        map_projects(params),
    )


def departement_counts(params: Mapping) -> dict[str, int]:
    """Matching organisations per département of their seat (code)."""
    key = f"maps:departements:{filter_key(params, ORGANIZATION_FILTERS)}"

    def compute():
        # Grouped by id, named afterwards: no join on every organisation.
        rows = dict(
            map_organizations(params)
            .filter(departement__isnull=False)
            .order_by()
            .values_list("departement_id")
            .annotate(n=Count("pk"))
        )
        codes = dict(Departement.objects.filter(pk__in=rows).values_list("pk", "code"))
        return {codes[pk]: n for pk, n in rows.items()}

    return cached_public(key, compute)


def network_region() -> Region | None:
    return Region.objects.filter(code=settings.MAP_REGION_CODE).first()


def region_departements() -> list[Departement]:
    return list(Departement.objects.filter(region__code=settings.MAP_REGION_CODE).order_by("code"))


@cache
def country_centroids() -> dict[str, list[float]]:
    """Shipped centroid (lat, lon) of each country outline, keyed by iso2."""
    return json.loads((OUTLINES / "country-centroids.json").read_text(encoding="utf-8"))


def partnership_lines(params: Mapping) -> list[list]:
    """Public partnerships of listed French authorities, as lines to their partner abroad.

    `[from_lat, from_lon, french name, french slug, to_lat, to_lon, partner name, country iso2,
    partner slug, since year]`; the partner sits at its coordinates, else at its country's centre.
    """
    key = f"maps:partnerships:{filter_key(params, ['country', 'theme'])}"

    def compute():
        queryset = Partnership.objects.filter(
            is_public=True,
            french_authority__status=Organization.Status.QUALIFIED,
            french_authority__merged_into__isnull=True,
        ).exclude(status=Partnership.Status.ENDED)
        if countries := _countries(params):
            queryset = queryset.filter(foreign_authority__seat_country__iso2__in=countries)
        if themes := param_values(params, "theme"):
            queryset = queryset.filter(themes__slug__in=themes).distinct()
        lat, lon = _organization_coordinates("french_authority__")
        # Unordered: the default order (by name) would make the database read every
        # organisation in name order to find the few with partnerships. Sorted below.
        rows = (
            queryset.order_by()
            .annotate(from_lat=lat, from_lon=lon)
            .values_list(
                "from_lat",
                "from_lon",
                "french_authority__name",
                "french_authority__slug",
                "foreign_authority__latitude",
                "foreign_authority__longitude",
                "foreign_authority__name",
                "foreign_authority__seat_country__iso2",
                "foreign_authority__slug",
                "foreign_authority__status",
                "since_year",
            )
        )
        centroids = country_centroids()
        lines = []
        for (
            from_lat,
            from_lon,
            name,
            slug,
            to_lat,
            to_lon,
            partner,
            iso2,
            pslug,
            status,
            since,
        ) in rows:
            if to_lat is None or to_lon is None:
                to_lat, to_lon = centroids.get(iso2 or "", (None, None))
            if from_lat is None or to_lat is None:
                continue
            listed = status == Organization.Status.QUALIFIED and pslug
            lines.append(
                [
                    round(float(from_lat), 4),
                    round(float(from_lon), 4),
                    name,
                    slug,
                    round(float(to_lat), 4),
                    round(float(to_lon), 4),
                    partner,
                    iso2 or "",
                    pslug if listed else "",
                    since,
                ]
            )
        lines.sort(key=lambda line: (line[2], line[6]))
        return lines

    return cached_public(key, compute)


def country_rows(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """`(name, iso2, count)` for a table, most counted first."""
    names = {c.iso2: c.name for c in Country.objects.filter(iso2__in=counts)}
    rows = [(names.get(iso2, iso2), iso2, n) for iso2, n in counts.items() if n]
    return sorted(rows, key=lambda row: (-row[2], row[0]))


def region_departement_rows(params: Mapping) -> list[tuple[str, str, int]]:
    """`(code, name, count)` for every département of the network's region."""
    counts = departement_counts(params)
    return [(d.code, d.name, counts.get(d.code, 0)) for d in region_departements()]


def partnership_rows(params: Mapping) -> list[list]:
    """The partnership lines for a table: each line with its country's name appended."""
    lines = partnership_lines(params)
    names = {c.iso2: c.name for c in Country.objects.filter(iso2__in={line[7] for line in lines})}
    return [[*line, names.get(line[7], line[7])] for line in lines]
