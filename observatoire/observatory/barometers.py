"""The barometers page: the figures of `collect()` shaped for bars, a heat map and tables."""

from dataclasses import dataclass

from observatoire.maps.selectors import region_departements

from .figures import definition


@dataclass
class Bar:
    key: str
    label: str
    count: int
    width: float  # % of the longest bar
    colour: str = ""


def bars(rows: list[dict]) -> list[Bar]:
    longest = max((r["count"] for r in rows), default=0) or 1
    return [
        Bar(
            r["key"],
            r["label"],
            r["count"],
            round(r["count"] * 100 / longest, 1),
            r.get("colour", ""),
        )
        for r in rows
    ]


def heat_map(block: dict) -> dict:
    """Themes in rows, the top countries in columns, each cell with a shade from its count."""
    cells = {(theme, country): n for theme, country, n in block["cells"]}
    highest = max(cells.values(), default=0) or 1
    countries = block["countries"]
    rows = []
    for theme in block["themes"]:
        line = []
        for country in countries:
            n = cells.get((theme["key"], country["key"]), 0)
            # Light shades only, so the dark figures stay readable on every cell.
            line.append({"count": n, "shade": round(0.08 + 0.32 * n / highest, 2) if n else 0})
        rows.append({"label": theme["label"], "cells": line})
    return {"countries": countries, "rows": rows}


def barometers(data: dict) -> list[dict]:
    """The barometers in page order, each with its definition."""
    coverage = data["coverage"]

    def item(key: str, **content) -> dict:
        meaning = definition(key)
        return {"key": key, "title": meaning.title, "text": meaning.text, **content}

    return [
        item("coverage.sdg_organizations", bars=bars(coverage["sdg_organizations"])),
        item("coverage.sdg_projects", bars=bars(coverage["sdg_projects"])),
        item("coverage.themes_by_country", heat=heat_map(coverage["themes_by_country"])),
        item("coverage.kinds_of_action", bars=bars(coverage["kinds_of_action"])),
    ]


def region_members(data: dict) -> list[dict]:
    """Every département of the network's region with its members (0 included), then the
    members whose seat is elsewhere."""
    counts = {r["key"]: r for r in data["members"]["by_departement"]}
    rows = [
        {"key": d.code, "label": d.name, "count": counts.pop(d.code, {}).get("count", 0)}
        for d in region_departements()
    ]
    return rows + [
        {"key": r["key"], "label": r["label"], "count": r["count"]} for r in counts.values()
    ]
