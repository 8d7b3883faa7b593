import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from observatoire.calls.models import Application
from observatoire.core.periods import Period
from observatoire.core.testing import ensure_reference_data, make_organization
from observatoire.grants.selectors import calls_figures
from observatoire.grants.testing import make_application, make_call
from observatoire.observatory.figures import Filters, collect
from observatoire.selection.models import Committee, Decision

pytestmark = pytest.mark.django_db

YEAR = Period.year(2026)


def at(month: int, day: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 12, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def year_of_a_call():
    """Three notes of intent in 2026, two invited to stage 2 in March, one laureate in May."""
    ensure_reference_data()
    call = make_call(closes_at=at(2))
    association = make_application(
        call, amount="9000", submitted_at=at(1), is_eligible=True, email="a@asso.test"
    )
    commune = make_application(
        call,
        organization=make_organization("Commune de Melle", kind_slug="commune"),
        status=Application.Status.NOT_SELECTED,
        amount="7000",
        submitted_at=at(1),
        is_eligible=True,
        email="b@melle.test",
    )
    make_application(
        call,
        organization=make_organization("Association Solidarité Sahel", kind_slug="association"),
        status=Application.Status.NOT_SELECTED,
        amount="4000",
        submitted_at=at(1),
        is_eligible=False,
        stage_reached=1,
        email="c@sahel.test",
    )
    first = Committee.objects.create(call=call, stage=call.stages.get(number=1), held_on=at(3))
    second = Committee.objects.create(call=call, stage=call.stages.get(number=2), held_on=at(5))
    for application in (association, commune):
        Decision.objects.create(committee=first, application=application, outcome="invited")
    Decision.objects.create(
        committee=second, application=association, outcome="laureate", amount_granted=8000
    )
    Decision.objects.create(committee=second, application=commune, outcome="not_selected")
    return call


def test_the_year_of_a_call_is_counted(year_of_a_call):
    figures = calls_figures(period=YEAR)
    assert figures["calls"] == 1
    assert figures["notes_of_intent"] == 3
    assert figures["full_applications"] == 2
    assert figures["eligible"] == 2
    assert figures["finalists"] == 2
    assert figures["committees"] == 2
    assert figures["laureates"] == 1
    assert figures["amount_requested"] == 20000.0
    assert figures["amount_granted"] == 8000.0
    assert figures["by_call"] == [
        {
            "key": year_of_a_call.slug,
            "label": "Incubateur ODD 2026",
            "applications": 3,
            "count": 3,
            "laureates": 1,
            "amount_granted": 8000.0,
        }
    ]


def test_another_period_counts_nothing_of_it(year_of_a_call):
    figures = calls_figures(period=Period.year(2025))
    assert (figures["notes_of_intent"], figures["committees"], figures["laureates"]) == (0, 0, 0)
    spring = calls_figures(
        period=Period.custom(datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
    )
    assert (spring["notes_of_intent"], spring["finalists"], spring["laureates"]) == (0, 2, 0)


def test_filters_apply_through_the_applicant_organisation(year_of_a_call):
    communes = collect(YEAR, Filters(kind="commune"))["calls"]
    assert communes["notes_of_intent"] == 1
    assert communes["finalists"] == 1
    assert communes["laureates"] == 0
    assert communes["committees"] == 2  # committees are not narrowed
    associations = collect(YEAR, Filters(kind="association"))["calls"]
    assert (associations["notes_of_intent"], associations["laureates"]) == (2, 1)
    assert associations["amount_granted"] == float(Decimal("8000"))


def test_a_one_stage_call_receives_full_applications_not_notes(year_of_a_call):
    fund = make_call("Fonds micro-projets", closes_at=at(4))
    fund.stages.filter(number=2).delete()
    make_application(
        fund,
        organization=make_organization("Association Kénédougou"),
        status=Application.Status.SUBMITTED,
        amount="3000",
        submitted_at=at(4, 2),
        stage_reached=1,
        email="k@asso.test",
    )
    figures = calls_figures(period=YEAR)
    assert (figures["notes_of_intent"], figures["full_applications"]) == (3, 3)
    assert figures["calls"] == 2 and figures["amount_requested"] == 23000.0
    assert [row["applications"] for row in figures["by_call"]] == [1, 3]
