"""Helpers for tests that post the project form."""

from .models import PROJECT_VISIBILITY_DEFAULTS, Phase


def project_form_data(project=None, **overrides) -> dict:
    """What the project form posts: a title, a summary, planned dates, `project`'s phase when
    given, each part's default visibility and no place; `overrides` replace any field."""
    data = {
        "title": "Eau potable à Dédougou",
        "acronym": "",
        "summary": "Des bornes-fontaines",
        "description": "",
        "phase": project.phase if project else Phase.EMERGENCE,
        "planned_start": "2026-01-01",
        "planned_end": "2027-12-31",
        "actual_start": "",
        "actual_end": "",
        "origin_note": "",
        "currency": "EUR",
        "places-TOTAL_FORMS": "0",
        "places-INITIAL_FORMS": "0",
        "places-MIN_NUM_FORMS": "0",
        "places-MAX_NUM_FORMS": "1000",
    }
    for field, default in PROJECT_VISIBILITY_DEFAULTS.items():
        data[f"visibility_{field}"] = default
    data.update(overrides)
    return data
