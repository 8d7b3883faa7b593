"""Every figure of the observatory, computed by one function so that the dashboard, the
barometers, the annual report and its JSON never disagree.

`collect(period, filters)` returns plain JSON-serialisable data under the keys documented in
docs/observatory.md; each key has its definition in `DEFINITIONS`. The figures come from the
domain apps' selectors; this module only scopes them to the filters and shapes them as rows.

Not cached: it reads records the public cache does not watch (support sessions, registrations,
survey answers, referencing requests), so a cached value could be stale.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.campaigns.selectors import mailings_figures
from observatoire.core.periods import Period
from observatoire.events import figures as event_figures
from observatoire.events.models import Event
from observatoire.grants.selectors import calls_figures
from observatoire.maps.selectors import partnership_lines, region_departements
from observatoire.news.models import NewsItem
from observatoire.organizations.models import Organization
from observatoire.organizations.selectors import (
    membership_figures,
    organization_college,
    organizations_in_scope,
)
from observatoire.projects.models import Phase, Project
from observatoire.projects.selectors import project_figures, projects_in_scope
from observatoire.referencing.selectors import referencing_figures
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    College,
    Country,
    Departement,
    OrganizationKind,
    Theme,
)
from observatoire.support.selectors import support_figures
from observatoire.surveys.selectors import percent, trainings_table

from .definitions import DEFINITIONS, Definition, definition

__all__ = ["DEFINITIONS", "SCHEMA", "Definition", "Filters", "collect", "definition"]

SCHEMA = 1
# The themes × countries table keeps the countries most organisations act in.
TOP_COUNTRIES = 15


@dataclass(frozen=True)
class Filters:
    departement: str = ""  # Departement.code, "" = all
    kind: str = ""  # OrganizationKind slug
    college: str = ""  # College slug

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> "Filters":
        """The filters of a query string; unknown codes are dropped (they would count nothing)."""
        wanted = {
            name: (params.get(name) or "").strip()[:60]
            for name in ("departement", "kind", "college")
        }
        known = {
            "departement": Departement.objects.filter(code=wanted["departement"]),
            "kind": OrganizationKind.objects.filter(slug=wanted["kind"]),
            "college": College.objects.filter(slug=wanted["college"]),
        }
        return cls(
            **{
                name: value if value and known[name].exists() else ""
                for name, value in wanted.items()
            }
        )

    @property
    def active(self) -> bool:
        return bool(self.departement or self.kind or self.college)

    def as_params(self) -> dict[str, str]:
        """The filters given, as URL parameters."""
        return {
            name: value
            for name, value in (
                ("departement", self.departement),
                ("kind", self.kind),
                ("college", self.college),
            )
            if value
        }


def row(key: object, label: str, count: int, value: Decimal | float | None = None) -> dict:
    """One line of a breakdown: its key (code, slug, ISO2…), label in the active language, count."""
    line = {"key": "" if key is None else str(key), "label": str(label), "count": int(count)}
    if value is not None:
        line["value"] = float(value)
    return line


def by_count(rows: Iterable[dict]) -> list[dict]:
    """Most counted first, then by label; empty lines dropped."""
    return sorted((r for r in rows if r["count"]), key=lambda r: (-r["count"], r["label"]))


def _not_given() -> str:
    return _("Not given")


def _departement_rows(counts: Mapping[str, int], values: Mapping | None = None) -> list[dict]:
    """Rows keyed by département code, sorted by code (the unknown one last)."""
    names = dict(Departement.objects.filter(code__in=counts).values_list("code", "name"))
    rows = [
        row(code, names.get(code, _not_given()), n, None if values is None else values[code])
        for code, n in counts.items()
        if n
    ]
    return sorted(rows, key=lambda r: (r["key"] == "", r["key"]))


def _vocabulary_rows(model, counts: Mapping[str, int], values: Mapping | None = None) -> list[dict]:
    """Rows keyed by the slug of an editable list (kinds, colleges, themes…)."""
    names = {item.slug: item.name for item in model.objects.filter(slug__in=counts)}
    return by_count(
        row(slug, names.get(slug, _not_given()), n, None if values is None else values[slug])
        for slug, n in counts.items()
    )


def _country_rows(counts: Mapping[str, int]) -> list[dict]:
    names = {c.iso2: c.name for c in Country.objects.filter(iso2__in=counts)}
    return by_count(row(iso2, names.get(iso2, iso2), n) for iso2, n in counts.items())


def _counts(queryset: QuerySet, field: str) -> dict[str, int]:
    """`{value of field: number of distinct records}`, None as ""; one aggregate query."""
    grouped = (
        queryset.order_by()
        .values(field)
        .annotate(n=Count("pk", distinct=True))
        .values_list(field, "n")
    )
    counts: dict[str, int] = {}
    for value, n in grouped:
        key = "" if value is None else str(value)
        counts[key] = counts.get(key, 0) + n
    return counts


def _tagged_counts(queryset: QuerySet, field: str) -> dict[str, int]:
    """Like `_counts` over a many-to-many, without the records that have no value."""
    return {key: n for key, n in _counts(queryset, field).items() if key}


def _sdg_rows(counts: Mapping[str, int]) -> list[dict]:
    """The 17 goals in order, each with its official colour, even when nobody covers it."""
    return [
        {**row(sdg.number, sdg.short_name, counts.get(str(sdg.number), 0)), "colour": sdg.color}
        for sdg in SDG.objects.order_by("number")
    ]


def _share_rows(shares, slugs: Mapping[int, str]) -> list[dict]:
    return by_count(row(slugs.get(share.pk, ""), share.label, share.count) for share in shares)


def _support_rows(rows, codes: Mapping[object, str]) -> list[dict]:
    return [row(codes.get(r.key, ""), r.label or _not_given(), r.sessions) for r in rows]


def _local_date(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def organizations_block(
    organizations: QuerySet[Organization], *, year: int, qualified_in_period: int
) -> dict:
    listed = organizations.filter(status=Organization.Status.QUALIFIED)
    by_college = _counts(
        listed.annotate(college_slug=organization_college(year=year)), "college_slug"
    )
    return {
        "listed": listed.count(),
        "qualified_in_period": qualified_in_period,
        "by_kind": _vocabulary_rows(OrganizationKind, _counts(listed, "kind__slug")),
        "by_college": _vocabulary_rows(College, by_college),
        "by_departement": _departement_rows(_counts(listed, "departement__code")),
    }


def members_block(organizations: QuerySet[Organization], year: int) -> dict:
    figures = membership_figures(organizations=organizations, year=year)

    def split(grouped):
        return {k: v[0] for k, v in grouped.items()}, {k: v[1] for k, v in grouped.items()}

    return {
        "up_to_date": figures["up_to_date"],
        "fees_total": float(figures["fees_total"]),
        "by_departement": _departement_rows(*split(figures["by_departement"])),
        "by_college": _vocabulary_rows(College, *split(figures["by_college"])),
    }


def trainings_block(period: Period) -> dict:
    table = trainings_table(period=period)

    def satisfaction(line) -> float | None:
        share = percent(line.very_satisfied + line.satisfied, line.satisfaction_answers)
        return None if share is None else float(share)

    lines = []
    for line in table.rows:
        sittings = list(line.event.sittings.all())
        lines.append(
            {
                "title": line.title,
                "start": _local_date(sittings[0].starts_at if sittings else None),
                "end": _local_date(max((s.ends_at for s in sittings), default=None)),
                "place": line.place,
                "participants": line.participants,
                "satisfaction": satisfaction(line),
            }
        )
    return {
        "count": len(table.rows),
        "participants": table.total.participants,
        "satisfaction": satisfaction(table.total),
        "table": lines,
    }


def support_block(period: Period, scope) -> dict:
    figures = support_figures(period=period, organizations=scope)
    departements = dict(Departement.objects.values_list("pk", "code"))
    themes = dict(Theme.objects.values_list("pk", "slug"))
    countries = dict(Country.objects.values_list("pk", "iso2"))
    by_departement = _support_rows(figures["by_departement"], departements)
    return {
        "sessions": figures["totals"]["sessions"],
        "organizations": figures["totals"]["organizations"],
        "by_departement": sorted(by_departement, key=lambda r: (r["key"] == "", r["key"])),
        "by_theme": by_count(_support_rows(figures["by_theme"], themes)),
        "by_country": by_count(_support_rows(figures["by_country"], countries)),
    }


def meetings_block(period: Period) -> dict:
    meetings = event_figures.meetings(event_figures.events_held(period))
    per_event = event_figures.participants_per_event(meetings)
    kinds = dict(OrganizationKind.objects.values_list("pk", "slug"))
    return {
        "count": meetings.count(),
        "participants": sum(per_event.values()),
        "by_organization_kind": _share_rows(
            event_figures.participants_by_organization_kind(meetings), kinds
        ),
    }


def communication_block(period: Period) -> dict:
    start, end = period.bounds()
    published_events = event_figures.with_first_start(
        Event.objects.filter(status=Event.Status.PUBLISHED)
    ).filter(first_start__gte=start, first_start__lt=end)
    return {
        "news_published": NewsItem.objects.published()
        .filter(published_at__gte=start, published_at__lt=end)
        .count(),
        "events_published": published_events.count(),
        # Campaigns finished in the period; the register filters do not apply to them.
        "mailings": mailings_figures(start=start, end=end),
    }


def projects_block(projects: QuerySet[Project], period: Period) -> dict:
    figures = project_figures(projects=projects, period=period)
    labels = dict(Phase.choices)
    return {
        "intentions": figures["intentions"],
        "active": figures["active"],
        "by_phase": by_count(
            row(phase, labels.get(phase, phase), n) for phase, n in figures["by_phase"].items()
        ),
    }


def _themes_by_country(listed: QuerySet[Organization]) -> dict:
    countries = _country_rows(_tagged_counts(listed, "countries__iso2"))[:TOP_COUNTRIES]
    kept = {r["key"] for r in countries}
    pairs = (
        listed.filter(countries__iso2__in=kept, themes__isnull=False)
        .order_by()
        .values("themes__slug", "countries__iso2")
        .annotate(n=Count("pk", distinct=True))
        .values_list("themes__slug", "countries__iso2", "n")
    )
    cells = sorted([theme, iso2, n] for theme, iso2, n in pairs)
    return {
        "themes": _vocabulary_rows(Theme, _tagged_counts(listed, "themes__slug")),
        "countries": countries,
        "cells": cells,
    }


def scoped_partnership_lines(organizations: QuerySet[Organization], filtered: bool) -> list:
    """The partnership lines of the public map (maps.selectors.partnership_lines, in its
    format), those of French authorities among `organizations` when filters are given."""
    lines = partnership_lines({})
    if filtered:
        slugs = set(organizations.exclude(slug="").values_list("slug", flat=True))
        lines = [line for line in lines if line[3] in slugs]
    return lines


def _partnerships(organizations: QuerySet[Organization], filtered: bool) -> dict:
    lines = scoped_partnership_lines(organizations, filtered)
    per_country: dict[str, int] = {}
    for line in lines:
        per_country[line[7]] = per_country.get(line[7], 0) + 1
    return {
        "count": len(lines),
        "by_country": _country_rows(per_country),
        "lines": [
            {
                "from": [line[0], line[1]],
                "to": [line[4], line[5]],
                "label": f"{line[2]} – {line[6]}",
            }
            for line in lines
        ],
    }


def coverage_block(
    organizations: QuerySet[Organization], projects: QuerySet[Project], filtered
) -> dict:
    listed = organizations.filter(status=Organization.Status.QUALIFIED)
    return {
        "sdg_organizations": _sdg_rows(_tagged_counts(listed, "sdgs__number")),
        "sdg_projects": _sdg_rows(_tagged_counts(projects, "sdgs__number")),
        "countries_organizations": _country_rows(_tagged_counts(listed, "countries__iso2")),
        "countries_projects": _country_rows(_tagged_counts(projects, "countries__iso2")),
        "kinds_of_action": _vocabulary_rows(
            ActionKind, _tagged_counts(listed, "action_kinds__slug")
        ),
        "themes": _vocabulary_rows(Theme, _tagged_counts(listed, "themes__slug")),
        "themes_by_country": _themes_by_country(listed),
        "partnerships": _partnerships(organizations, filtered),
    }


def map_data(period: Period, filters: Filters, kind: str, subject: str = "") -> dict:
    """What the barometers' maps draw, in the format of the public maps' endpoints: the same
    counts as `collect()` gives, without computing every other figure."""
    year = period.end.year
    organizations = organizations_in_scope(year=year, **filters.as_params())
    listed = organizations.filter(status=Organization.Status.QUALIFIED)
    if kind == "countries":
        if subject == "projects":
            projects = projects_in_scope(organizations=organizations if filters.active else None)
            return {"counts": _tagged_counts(projects, "countries__iso2")}
        return {"counts": _tagged_counts(listed, "countries__iso2")}
    if kind == "departements":
        members = membership_figures(organizations=organizations, year=year)["by_departement"]
        return {
            "counts": {code: n for code, (n, _fees) in members.items() if code},
            "codes": [d.code for d in region_departements()],
        }
    return {"lines": scoped_partnership_lines(organizations, filters.active)}


def collect(period: Period, filters: Filters = Filters()) -> dict:
    """Every figure of the observatory for the period and filters, as JSON-serialisable data."""
    # Memberships are yearly: the year the period ends in gives members and colleges.
    year = period.end.year
    organizations = organizations_in_scope(year=year, **filters.as_params())
    # Figures counted over records of other kinds narrow to these organisations only when a
    # filter is given, so that without filters they count records of any organisation.
    scope = organizations if filters.active else None
    projects = projects_in_scope(organizations=scope)
    referencing = referencing_figures(period=period, organizations=scope)
    return {
        "schema": SCHEMA,
        "period": period.as_dict(),
        "filters": {
            "departement": filters.departement,
            "kind": filters.kind,
            "college": filters.college,
        },
        "data_date": timezone.localtime().isoformat(timespec="seconds"),
        "organizations": organizations_block(
            organizations, year=year, qualified_in_period=referencing["organizations_qualified"]
        ),
        "members": members_block(organizations, year),
        "referencing": referencing,
        "projects": projects_block(projects, period),
        "trainings": trainings_block(period),
        "support": support_block(period, scope),
        "meetings": meetings_block(period),
        "calls": calls_figures(period=period, organizations=scope),
        "communication": communication_block(period),
        "coverage": coverage_block(organizations, projects, filters.active),
    }
