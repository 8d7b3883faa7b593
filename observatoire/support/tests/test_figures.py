"""The figures the observatory reuses: plain data for a period [start, end)."""

import datetime

import pytest

from observatoire.core.periods import Period
from observatoire.core.testing import make_organization
from observatoire.referentials.models import Commune, Country, Departement, Theme
from observatoire.support import selectors

from .factories import make_session

pytestmark = pytest.mark.django_db

YEAR = 2025


def on(month, day):
    return datetime.date(YEAR, month, day)


@pytest.fixture
def supported(staff):
    gironde = make_organization(
        "Ville de Bordeaux", kind_slug="commune", commune=Commune.objects.get(insee_code="33063")
    )
    charente = make_organization(
        "Eau Vive Charente", commune=Commune.objects.get(insee_code="16015")
    )
    water, health = Theme.objects.get(slug="water-sanitation"), Theme.objects.get(slug="health")
    burkina, mali = Country.objects.get(iso2="BF"), Country.objects.get(iso2="ML")
    make_session(
        gironde,
        staff,
        occurred_on=on(1, 1),
        duration_minutes=60,
        help_kinds=["funding_search", "partnership"],
        themes=[water, health],
        countries=[burkina],
    )
    make_session(
        gironde,
        staff,
        occurred_on=on(3, 15),
        duration_minutes=90,
        help_kinds=["funding_search"],
        themes=[water],
        countries=[burkina, mali],
    )
    make_session(charente, staff, occurred_on=on(12, 31), duration_minutes=30)
    # Outside the year on both sides.
    make_session(charente, staff, occurred_on=datetime.date(YEAR - 1, 12, 31))
    make_session(charente, staff, occurred_on=datetime.date(YEAR + 1, 1, 1))
    return {"gironde": gironde, "charente": charente, "water": water, "burkina": burkina}


def test_totals_of_a_year(supported):
    period = Period.year(YEAR)
    assert selectors.support_totals(period=period) == {
        "sessions": 3,
        "organizations": 2,
        "minutes": 180,
        "hours": 3.0,
    }


def test_by_departement(supported):
    rows = selectors.support_by_departement(period=Period.custom(on(1, 1), on(12, 30)))
    by_code = {row.label.split()[0]: row for row in rows}
    assert by_code["33"].sessions == 2 and by_code["33"].organizations == 1
    assert by_code["33"].minutes == 150 and by_code["33"].hours == 2.5
    assert by_code["33"].key == Departement.objects.get(code="33").pk
    assert "16" not in by_code  # the last day of the period is excluded


def test_by_theme_and_country_count_each_session_once_per_value(supported):
    period = Period.year(YEAR)
    themes = {row.key: row for row in selectors.support_by_theme(period=period)}
    assert themes[supported["water"].pk].sessions == 2
    assert themes[supported["water"].pk].minutes == 150
    assert themes[None].sessions == 1  # the session without a theme
    countries = {row.key: row for row in selectors.support_by_country(period=period)}
    assert countries[supported["burkina"].pk].sessions == 2
    assert countries[supported["burkina"].pk].label == "Burkina Faso"
    rows = selectors.support_by_country(period=period)
    assert rows[0].key == supported["burkina"].pk and rows[-1].key is None


def test_by_kind_of_help(supported):
    period = Period.year(YEAR)
    rows = {row.key: row for row in selectors.support_by_help_kind(period=period)}
    assert rows["funding_search"].sessions == 2 and rows["funding_search"].organizations == 1
    assert rows["partnership"].sessions == 1
    assert rows["project_design"].sessions == 1
    assert rows["funding_search"].label == "Recherche de financements"


def test_support_figures_bundles_everything_as_plain_data(supported):
    period = Period.year(YEAR)
    figures = selectors.support_figures(period=period)
    assert set(figures) == {
        "period", "totals", "by_departement", "by_theme", "by_country", "by_help_kind"
    }  # fmt: skip
    assert figures["totals"]["sessions"] == 3
    assert selectors.support_figures(period=Period.custom(on(6, 1), on(6, 1)))["by_theme"] == []
