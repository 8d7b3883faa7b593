"""Figures shaped exactly like the observatory's `collect()` contract (see docs/observatory.md)."""

import copy


def _row(key, label, count, **more):
    return {"key": key, "label": label, "count": count, **more}


SDG_COLOURS = [
    "#E5243B", "#DDA63A", "#4C9F38", "#C5192D", "#FF3A21", "#26BDE2", "#FCC30B", "#A21942",
    "#FD6925", "#DD1367", "#FD9D24", "#BF8B2E", "#3F7E44", "#0A97D9", "#56C02B", "#00689D",
    "#19486A",
]  # fmt: skip


def sample_figures(year: int = 2025) -> dict:
    """A believable year of a regional network."""
    return copy.deepcopy(
        {
            "schema": 1,
            "period": {"start": f"{year}-01-01", "end": f"{year}-12-31", "label": str(year)},
            "filters": {"departement": "", "kind": "", "college": ""},
            "data_date": f"{year + 1}-01-15T09:30:00+01:00",
            "organizations": {
                "listed": 144,
                "qualified_in_period": 64,
                "by_kind": [
                    _row("association", "Associations", 104),
                    _row("local-authority", "Local authorities", 32),
                    _row("university", "Universities", 8),
                ],
                "by_college": [
                    _row("associations", "Associations college", 90),
                    _row("authorities", "Local authorities college", 30),
                ],
                "by_departement": [_row("33", "Gironde", 60), _row("86", "Vienne", 30)],
            },
            "members": {
                "up_to_date": 113,
                "fees_total": 8450.0,
                "by_departement": [
                    _row("16", "Charente", 8),
                    _row("33", "Gironde", 41),
                    _row("79", "Deux-Sèvres", 16),
                    _row("86", "Vienne", 21),
                ],
                "by_college": [_row("associations", "Associations college", 80)],
            },
            "referencing": {
                "received": 48,
                "qualified": 40,
                "rejected": 3,
                "organizations_qualified": 64,
            },
            "projects": {
                "intentions": 15,
                "active": 37,
                "by_phase": [
                    _row("implementation", "Implementation", 20),
                    _row("construction", "Construction", 10),
                    _row("emergence", "Emergence", 7),
                ],
            },
            "trainings": {
                "count": 2,
                "participants": 36,
                "satisfaction": 87.5,
                "table": [
                    {
                        "title": "Monter un projet de solidarité internationale",
                        "start": f"{year}-03-12",
                        "end": f"{year}-03-19",
                        "place": "Bordeaux",
                        "participants": 34,
                        "satisfaction": 87.5,
                    },
                    {
                        "title": "Les ODD dans les territoires",
                        "start": f"{year}-10-02",
                        "end": f"{year}-10-02",
                        "place": "",
                        "participants": 2,
                        "satisfaction": None,
                    },
                ],
            },
            "support": {
                "sessions": 47,
                "organizations": 27,
                "by_departement": [_row("33", "Gironde", 30), _row("86", "Vienne", 17)],
                "by_theme": [_row("water", "Water, sanitation and hygiene", 12)],
                "by_country": [_row("BF", "Burkina Faso", 9), _row("MG", "Madagascar", 5)],
            },
            "meetings": {
                "count": 9,
                "participants": 191,
                "by_organization_kind": [
                    _row("association", "Associations", 16),
                    _row("local-authority", "Local authorities", 5),
                ],
            },
            "calls": None,
            "communication": {"news_published": 31, "events_published": 18, "mailings": None},
            "coverage": {
                "sdg_organizations": [
                    _row(str(n), f"SDG {n}", 20 - n, colour=SDG_COLOURS[n - 1])
                    for n in range(1, 18)
                ],
                "sdg_projects": [
                    _row(str(n), f"SDG {n}", n % 5, colour=SDG_COLOURS[n - 1]) for n in range(1, 18)
                ],
                "countries_organizations": [
                    _row("SN", "Senegal", 25),
                    _row("BF", "Burkina Faso", 22),
                    _row("MA", "Morocco", 10),
                ],
                "countries_projects": [_row("SN", "Senegal", 8), _row("TG", "Togo", 3)],
                "kinds_of_action": [_row("development", "Development projects", 80)],
                "themes": [_row("water", "Water, sanitation and hygiene", 30)],
                "themes_by_country": {
                    "themes": [_row("water", "Water, sanitation and hygiene", 30)],
                    "countries": [_row("SN", "Senegal", 25), _row("BF", "Burkina Faso", 22)],
                    "cells": [["water", "SN", 7], ["water", "BF", 4]],
                },
                "partnerships": {
                    "count": 12,
                    "by_country": [_row("MA", "Morocco", 4), _row("SN", "Senegal", 3)],
                    "lines": [{"from": [46.58, 0.34], "to": [34.02, -6.84], "label": "Poitiers"}],
                },
            },
        }
    )


def empty_figures(year: int = 2025) -> dict:
    """A year with no data at all: zeros and empty lists, calls and mailings not available."""
    figures = sample_figures(year)

    def clear(value):
        if isinstance(value, dict):
            return {key: clear(item) for key, item in value.items()}
        if isinstance(value, list):
            return []
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int | float):
            return 0
        return value

    emptied = clear({key: figures[key] for key in figures if key not in {"period", "filters"}})
    emptied["trainings"]["satisfaction"] = None
    emptied["coverage"]["sdg_organizations"] = [
        _row(str(n), f"SDG {n}", 0, colour=SDG_COLOURS[n - 1]) for n in range(1, 18)
    ]
    emptied["coverage"]["sdg_projects"] = emptied["coverage"]["sdg_organizations"]
    return {**emptied, "period": figures["period"], "filters": figures["filters"], "schema": 1}
