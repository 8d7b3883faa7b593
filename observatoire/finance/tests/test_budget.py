"""Budgets, reallocations and extensions, and the funding plan with its warnings."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from observatoire.finance import services
from observatoire.finance.models import BudgetLine, BudgetVersion, FunderKind, Transaction

from .factories import add_partner, lead_of, make_budget, make_ministry, make_project

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    return make_project()


def test_the_original_budget_totals_by_line_category_year_and_partner_in_eur(project):
    make_budget(project)
    totals = services.budget_totals(project)
    assert totals.version.kind == BudgetVersion.Kind.ORIGINAL
    assert totals.total == D("100000.00")
    training = next(row for row in totals.lines if row["line"].label == "Formation des agents")
    assert training["amount"].currency == "XOF"
    assert training["eur"] == D("10000.00")
    assert dict(totals.by_year) == {2024: D("100000.00")}
    assert dict(totals.by_partner)["Bordeaux Métropole"] == D("60000.00")
    assert dict(totals.by_category)[str(BudgetLine.Category.EQUIPMENT.label)] == D("30000.00")


def test_a_currency_without_its_rate_is_refused_in_french(project):
    with pytest.raises(ValidationError) as error:
        services.budget_create(
            project=project,
            lines=[
                services.LineInput(
                    BudgetLine.Category.WORKS, "Puits", D("1000000"), 2024, currency="XOF"
                )
            ],
        )
    assert "taux" in error.value.messages[0]
    assert not project.budget_versions.exists()


def test_a_line_with_a_partner_of_another_project_is_refused(project):
    other = make_project("Autre projet", lead=lead_of(project).organization)
    with pytest.raises(ValidationError):
        services.budget_line_add(
            project=project,
            line_input=services.LineInput(
                BudgetLine.Category.WORKS, "Puits", D("1000"), partner=lead_of(other)
            ),
        )


def test_a_reallocation_scenario_end_to_end(project, staff):
    """Budget, spending, a reallocation approved by the funder, the revised version and plan."""
    lines = make_budget(project)
    ministry = make_ministry()
    services.funding_save(
        project=project,
        funder=ministry,
        funder_kind=FunderKind.MINISTRY,
        requested=D("50000"),
        granted=D("50000"),
        max_share=D("50"),
    )
    services.funding_save(
        project=project,
        funder=lead_of(project).organization,
        funder_kind=FunderKind.OWN_FUNDS,
        requested=D("30000"),
        granted=D("30000"),
    )
    services.transaction_record(
        project=project,
        kind=Transaction.Kind.INCOMING_FUNDS,
        date=datetime.date(2024, 3, 1),
        amount=D("25000"),
        funder=ministry,
    )
    services.transaction_record(
        project=project,
        kind=Transaction.Kind.EXPENDITURE,
        date=datetime.date(2024, 6, 1),
        amount=D("21000"),
        budget_line=lines["Missions"],
        partner=lead_of(project),
    )
    plan = services.funding_plan(project)
    assert plan.received == D("25000.00")
    assert plan.rows[0]["share"] == D("50.0")
    assert plan.lead_share == D("30.0")
    assert len(plan.warnings) == 1 and "Missions" in plan.warnings[0]

    # Moving more than a line holds is refused, and nothing is recorded.
    with pytest.raises(ValidationError) as error:
        services.reallocation_apply(
            project=project,
            moves=[services.Move(lines["Bacs de collecte"], lines["Missions"], D("30000.01"))],
            reason="Hausse des billets",
            date=datetime.date(2024, 7, 1),
            approved_by=ministry,
            approved_on=datetime.date(2024, 7, 15),
            user=staff,
        )
    assert "Bacs de collecte" in error.value.messages[0]
    assert project.budget_versions.count() == 1

    reallocation = services.reallocation_apply(
        project=project,
        moves=[
            services.Move(lines["Bacs de collecte"], lines["Missions"], D("2500")),
            services.Move(lines["Formation des agents"], lines["Missions"], D("1200")),
        ],
        reason="Hausse des billets d'avion",
        date=datetime.date(2024, 7, 1),
        approved_by=ministry,
        approved_on=datetime.date(2024, 7, 15),
        user=staff,
    )
    revised = services.current_version(project)
    assert reallocation.result == revised and revised.kind == BudgetVersion.Kind.REVISED
    totals = services.budget_totals(project)
    assert totals.total == D("100000.00")
    by_label = {row["line"].label: row["eur"] for row in totals.lines}
    assert by_label == {
        "Coordination": D("40000.00"),
        "Missions": D("23700.00"),
        "Bacs de collecte": D("27500.00"),
        "Formation des agents": D("8800.00"),
    }
    # The original version is kept as it was.
    assert services.budget_totals(project, reallocation.from_version).total == D("100000.00")
    assert services.reallocation_share(reallocation) == (D("3700.00"), D("3.7"))
    assert reallocation.moves.count() == 2
    # The line is now covered: no warning left.
    assert services.funding_plan(project).warnings == []


def test_the_funding_plan_warns_of_a_share_above_the_maximum_and_grants_above_the_budget(project):
    make_budget(project)
    ministry = make_ministry()
    services.funding_save(
        project=project,
        funder=ministry,
        funder_kind=FunderKind.MINISTRY,
        requested=D("60000"),
        granted=D("60000"),
        max_share=D("50"),
    )
    region = add_partner(project, "Région Nouvelle-Aquitaine", kind_slug="region").organization
    services.funding_save(
        project=project,
        funder=region,
        funder_kind=FunderKind.REGION,
        requested=D("45000"),
        granted=D("45000"),
    )
    warnings = services.funding_plan(project).warnings
    assert any("60,0 %" in w or "60.0 %" in w for w in warnings)
    assert any("105" in w and "100" in w for w in warnings)


def test_an_extension_moves_the_planned_end_once_approved(project):
    ministry = make_ministry()
    with pytest.raises(ValidationError):
        services.extension_record(
            project=project,
            requested_on=datetime.date(2025, 9, 1),
            new_end=datetime.date(2025, 6, 30),
            reason="Retard",
        )
    services.extension_record(
        project=project,
        requested_on=datetime.date(2025, 9, 1),
        new_end=datetime.date(2026, 6, 30),
        reason="Saison des pluies",
        approved_by=ministry,
        approved_on=datetime.date(2025, 10, 1),
    )
    project.refresh_from_db()
    assert project.planned_end == datetime.date(2026, 6, 30)
    assert project.extensions.get().previous_end == datetime.date(2025, 12, 31)


def test_a_transaction_on_a_line_of_another_project_is_refused(project):
    lines = make_budget(project)
    other = make_project("Autre projet", lead=lead_of(project).organization)
    with pytest.raises(ValidationError):
        services.transaction_record(
            project=other,
            kind=Transaction.Kind.EXPENDITURE,
            date=datetime.date(2024, 6, 1),
            amount=D("100"),
            budget_line=lines["Missions"],
        )
