"""The finance demo: the pooled project's figures as the issue tells them, and robustness."""

import datetime
import time
from decimal import Decimal

import pytest

from observatoire.core.testing import make_organization
from observatoire.finance import demo, services
from observatoire.finance.models import Report, ReportingObligation
from observatoire.organizations.models import Organization
from observatoire.projects.models import Project

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 11, 20)


def test_the_demo_loads_without_any_project():
    demo.load_demo(seed=7, today=TODAY, with_files=False)
    project = Project.objects.get(slug=demo.POOLED_SLUG)
    assert services.budget_total(project) == Decimal("320270.00")


def test_the_pooled_project_tells_the_story_of_the_issue():
    for name in [demo.LEAD, *demo.FRENCH_PARTNERS]:
        make_organization(name, kind_slug="commune")
    for name in demo.PARTNERS_ABROAD:
        make_organization(name, kind_slug="commune", legal_form=Organization.LegalForm.FOREIGN)
    started = time.perf_counter()
    demo.load_demo(seed=7, today=TODAY)
    elapsed = time.perf_counter() - started
    project = Project.objects.get(slug=demo.POOLED_SLUG)
    assert project.partners.count() == 8  # lead, four French authorities, two abroad, ministry
    assert services.budget_total(project) == Decimal("320270.00")
    reallocation = project.reallocations.get()
    assert services.reallocation_share(reallocation) == (Decimal("11850.00"), Decimal("3.7"))
    assert reallocation.approved_by.name == demo.MINISTRY
    assert project.planned_end == datetime.date(2026, 6, 30)
    plan = services.funding_plan(project)
    assert plan.warnings == []
    assert plan.granted == Decimal("320270.00")
    ministry_row = next(r for r in plan.rows if r["funding"].funder.name == demo.MINISTRY)
    assert ministry_row["share"] == Decimal("50.0") and not ministry_row["over_share"]
    assert project.budget_lines.filter(amounts__currency="XOF").exists()
    report = project.reports.get()
    assert report.status == Report.Status.CLOSED
    assert report.versions.get().pdf and report.versions.get().xlsx
    statuses = sorted(
        ReportingObligation.objects.filter(application__project=project).values_list(
            "status", flat=True
        )
    )
    assert statuses.count("sent") == 1 and statuses.count("due") == 3
    print(f"finance demo with files: {elapsed:.2f} s")
    assert elapsed < 10
    # Run twice: nothing is added to a project that has its budget.
    demo.load_demo(seed=7, today=TODAY, with_files=False)
    assert project.budget_versions.count() == 2


def test_other_projects_get_a_simple_budget_and_funding():
    from observatoire.projects.models import Phase

    from .factories import add_partner, make_project

    lead = make_organization("Ville de Niort", kind_slug="commune")
    first = make_project("Eau potable à Atakpamé", lead=lead, phase=Phase.IMPLEMENTATION)
    add_partner(first, "Agence de l'eau Adour-Garonne", role="funder", kind_slug="public-agency")
    make_project("Idée naissante", lead=lead, phase=Phase.EMERGENCE)
    demo.load_demo(seed=3, today=TODAY, with_files=False)
    assert services.budget_total(first) > 0
    assert first.fundings.count() == 2
    assert first.transactions.exists()
    assert not Project.objects.get(slug="idée-naissante").budget_versions.exists()
