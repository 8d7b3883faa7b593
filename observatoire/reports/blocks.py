"""The registry of automatic blocks a report section may hold.

A block reads some keys of the observatory's figures (the `collect()` dict, see
`docs/observatory.md`) and renders them with a template: key figures, a table, a bar chart or a
choropleth map with its data table. Blocks never compute a figure: they only lay them out.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import svg


@dataclass(frozen=True)
class BlockType:
    key: str
    label: str | Promise
    kind: str  # "figure", "table", "chart" or "map"
    reads: tuple[str, ...]  # the dotted keys of the figures it shows (their definitions)
    template: str
    build: Callable[[dict], dict[str, Any]] = field(repr=False)


def dig(figures: dict, dotted: str) -> Any:
    """The value at a dotted key of the figures, None when a part is missing."""
    value: Any = figures
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _rows(figures: dict, dotted: str) -> list[dict]:
    value = dig(figures, dotted)
    return value if isinstance(value, list) else []


def _figures(*items: tuple[str | Promise, str, str]) -> Callable[[dict], dict]:
    """Key figures: (label, dotted key, unit) triples; a missing value shows as not available."""

    def build(figures: dict) -> dict:
        return {
            "items": [
                {"label": label, "value": dig(figures, key), "unit": unit}
                for label, key, unit in items
            ]
        }

    return build


def _chart(dotted: str, caption: str | Promise) -> Callable[[dict], dict]:
    def build(figures: dict) -> dict:
        rows = _rows(figures, dotted)
        return {"rows": rows, "chart": svg.bar_chart(rows) if rows else None, "caption": caption}

    return build


def _region_departements() -> set[str]:
    from observatoire.referentials.models import Departement

    return set(
        Departement.objects.filter(region__code=settings.MAP_REGION_CODE).values_list(
            "code", flat=True
        )
    )


def _map(
    dotted: str, caption: str | Promise, *, regional: bool = False, lines: str = ""
) -> Callable[[dict], dict]:
    def build(figures: dict) -> dict:
        rows = _rows(figures, dotted)
        if regional:
            keys = _region_departements() | {str(row["key"]) for row in rows}
            drawn = svg.choropleth(rows, outlines="departements.geojson", keys=keys, width=480)
        else:
            drawn = svg.choropleth(
                rows, outlines="countries.geojson", lines=_rows(figures, lines) if lines else []
            )
        return {"rows": rows, "map": drawn, "caption": caption}

    return build


def _with(*builders: Callable[[dict], dict]) -> Callable[[dict], dict]:
    """Several builders whose contexts go into one block: key figures above a chart, say."""

    def build(figures: dict) -> dict:
        context: dict[str, Any] = {}
        for builder in builders:
            context.update(builder(figures))
        return context

    return build


def _trainings(figures: dict) -> dict:
    return {
        **_figures(
            (_("Trainings"), "trainings.count", ""),
            (_("Participants"), "trainings.participants", ""),
            (_("Satisfaction"), "trainings.satisfaction", "%"),
        )(figures),
        "trainings": _rows(figures, "trainings.table"),
    }


def _themes_by_country(figures: dict) -> dict:
    table = dig(figures, "coverage.themes_by_country") or {}
    themes = table.get("themes") or []
    countries = table.get("countries") or []
    cells = {
        (str(theme), str(country)): count for theme, country, count in table.get("cells") or []
    }
    return {
        "countries": countries,
        "lines": [
            {
                "theme": theme,
                "counts": [cells.get((str(theme["key"]), str(c["key"])), 0) for c in countries],
            }
            for theme in themes
        ],
    }


CALL_FIGURES = (
    (_("Notes of intent"), "calls.notes_of_intent", ""),
    (_("Finalists"), "calls.finalists", ""),
    (_("Selection committees"), "calls.committees", ""),
    (_("Laureates"), "calls.laureates", ""),
)


def _calls(figures: dict) -> dict:
    calls = figures.get("calls")
    return {"available": calls is not None, **_figures(*CALL_FIGURES)(figures)}


FIGURE = "reports/blocks/figures.html"
CHART = "reports/blocks/chart.html"
MAP = "reports/blocks/map.html"

BLOCK_TYPES = [
    BlockType(
        "key_figures",
        _("Key figures of the year"),
        "figure",
        (
            "organizations.listed",
            "members.up_to_date",
            "referencing.received",
            "trainings.count",
            "support.sessions",
            "meetings.count",
            "projects.active",
        ),
        FIGURE,
        _figures(
            (_("Organisations listed"), "organizations.listed", ""),
            (_("Members up to date"), "members.up_to_date", ""),
            (_("Referencing requests received"), "referencing.received", ""),
            (_("Trainings"), "trainings.count", ""),
            (_("Support sessions"), "support.sessions", ""),
            (_("Meetings"), "meetings.count", ""),
            (_("Active projects"), "projects.active", ""),
        ),
    ),
    BlockType(
        "members_by_departement",
        _("Members by département (regional map)"),
        "map",
        ("members.up_to_date", "members.fees_total", "members.by_departement"),
        MAP,
        _with(
            _figures(
                (_("Members up to date"), "members.up_to_date", ""),
                (_("Fees received"), "members.fees_total", "€"),
            ),
            _map("members.by_departement", _("Members by département"), regional=True),
        ),
    ),
    BlockType(
        "members_by_college",
        _("Members by college"),
        "chart",
        ("members.by_college",),
        CHART,
        _chart("members.by_college", _("Members by college")),
    ),
    BlockType(
        "organizations_by_kind",
        _("Organisations by kind"),
        "chart",
        ("organizations.listed", "organizations.by_kind"),
        CHART,
        _with(
            _figures((_("Organisations listed"), "organizations.listed", "")),
            _chart("organizations.by_kind", _("Organisations listed by kind")),
        ),
    ),
    BlockType(
        "organizations_by_college",
        _("Organisations by college"),
        "chart",
        ("organizations.by_college",),
        CHART,
        _chart("organizations.by_college", _("Organisations listed by college")),
    ),
    BlockType(
        "organizations_by_departement",
        _("Organisations by département (regional map)"),
        "map",
        ("organizations.by_departement",),
        MAP,
        _map(
            "organizations.by_departement", _("Organisations listed by département"), regional=True
        ),
    ),
    BlockType(
        "referencing",
        _("Referencing requests"),
        "figure",
        (
            "referencing.received",
            "referencing.qualified",
            "referencing.rejected",
            "referencing.organizations_qualified",
            "projects.intentions",
        ),
        FIGURE,
        _figures(
            (_("Requests received"), "referencing.received", ""),
            (_("Requests qualified"), "referencing.qualified", ""),
            (_("Requests rejected"), "referencing.rejected", ""),
            (_("Organisations qualified"), "referencing.organizations_qualified", ""),
            (_("Project intentions"), "projects.intentions", ""),
        ),
    ),
    BlockType(
        "trainings",
        _("Trainings table"),
        "table",
        ("trainings.count", "trainings.participants", "trainings.satisfaction", "trainings.table"),
        "reports/blocks/trainings.html",
        _trainings,
    ),
    BlockType(
        "support_by_theme",
        _("Support by theme"),
        "chart",
        ("support.sessions", "support.organizations", "support.by_theme"),
        CHART,
        _with(
            _figures(
                (_("Support sessions"), "support.sessions", ""),
                (_("Organisations supported"), "support.organizations", ""),
            ),
            _chart("support.by_theme", _("Support sessions by theme")),
        ),
    ),
    BlockType(
        "support_by_country",
        _("Support by country (world map)"),
        "map",
        ("support.by_country",),
        MAP,
        _map("support.by_country", _("Support sessions by country of the projects")),
    ),
    BlockType(
        "support_by_departement",
        _("Support by département (regional map)"),
        "map",
        ("support.by_departement",),
        MAP,
        _map("support.by_departement", _("Support sessions by département"), regional=True),
    ),
    BlockType(
        "meetings",
        _("Meetings and participants by kind of organisation"),
        "chart",
        ("meetings.count", "meetings.participants", "meetings.by_organization_kind"),
        CHART,
        _with(
            _figures(
                (_("Meetings"), "meetings.count", ""),
                (_("Participants"), "meetings.participants", ""),
            ),
            _chart(
                "meetings.by_organization_kind", _("Meeting participants by kind of organisation")
            ),
        ),
    ),
    BlockType(
        "sdg_organizations",
        _("SDG coverage of organisations"),
        "chart",
        ("coverage.sdg_organizations",),
        CHART,
        _chart("coverage.sdg_organizations", _("Organisations acting for each SDG")),
    ),
    BlockType(
        "sdg_projects",
        _("SDG coverage of projects"),
        "chart",
        ("coverage.sdg_projects",),
        CHART,
        _chart("coverage.sdg_projects", _("Projects contributing to each SDG")),
    ),
    BlockType(
        "countries_organizations",
        _("Countries of intervention of organisations (world map)"),
        "map",
        ("coverage.countries_organizations",),
        MAP,
        _map("coverage.countries_organizations", _("Organisations acting in each country")),
    ),
    BlockType(
        "countries_projects",
        _("Countries of the projects (world map)"),
        "map",
        ("coverage.countries_projects",),
        MAP,
        _map("coverage.countries_projects", _("Projects in each country")),
    ),
    BlockType(
        "projects_by_phase",
        _("Projects by phase"),
        "chart",
        ("projects.active", "projects.by_phase"),
        CHART,
        _with(
            _figures((_("Active projects"), "projects.active", "")),
            _chart("projects.by_phase", _("Projects by phase")),
        ),
    ),
    BlockType(
        "kinds_of_action",
        _("Kinds of action"),
        "chart",
        ("coverage.kinds_of_action",),
        CHART,
        _chart("coverage.kinds_of_action", _("Organisations by kind of action")),
    ),
    BlockType(
        "themes",
        _("Themes of action"),
        "chart",
        ("coverage.themes",),
        CHART,
        _chart("coverage.themes", _("Organisations by theme")),
    ),
    BlockType(
        "themes_by_country",
        _("Themes × countries"),
        "table",
        ("coverage.themes_by_country",),
        "reports/blocks/themes_by_country.html",
        _themes_by_country,
    ),
    BlockType(
        "partnerships",
        _("Decentralised cooperation partnerships (world map)"),
        "map",
        ("coverage.partnerships",),
        MAP,
        _with(
            _figures((_("Partnerships"), "coverage.partnerships.count", "")),
            _map(
                "coverage.partnerships.by_country",
                _("Partnerships by partner country"),
                lines="coverage.partnerships.lines",
            ),
        ),
    ),
    BlockType(
        "communication",
        _("Communication"),
        "figure",
        (
            "communication.news_published",
            "communication.events_published",
            "communication.mailings",
        ),
        FIGURE,
        _figures(
            (_("News published"), "communication.news_published", ""),
            (_("Events published"), "communication.events_published", ""),
            (_("Mailings sent"), "communication.mailings.campaigns_sent", ""),
        ),
    ),
    BlockType(
        "calls",
        _("Calls run by the network"),
        "figure",
        tuple(key for _label, key, _unit in CALL_FIGURES),
        "reports/blocks/calls.html",
        _calls,
    ),
]

REGISTRY: dict[str, BlockType] = {block.key: block for block in BLOCK_TYPES}


def block_choices() -> list[tuple[str, str | Promise]]:
    return [(block.key, block.label) for block in BLOCK_TYPES]
