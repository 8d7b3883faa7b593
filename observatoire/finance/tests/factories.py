"""A pooled project with a budget, to exercise the money of a project."""

import datetime
from decimal import Decimal

from observatoire.core.testing import make_organization
from observatoire.finance import services
from observatoire.finance.models import BudgetLine, FunderKind
from observatoire.projects.models import Project, ProjectPartner

D = Decimal


def make_project(title="Gestion mutualisée des déchets", *, lead=None, slug=None, **fields):
    lead = lead or make_organization("Bordeaux Métropole", kind_slug="epci")
    project = Project.objects.create(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        planned_start=fields.pop("planned_start", datetime.date(2024, 1, 1)),
        planned_end=fields.pop("planned_end", datetime.date(2025, 12, 31)),
        **fields,
    )
    ProjectPartner.objects.create(project=project, organization=lead, role=ProjectPartner.Role.LEAD)
    return project


def add_partner(project, name, role=ProjectPartner.Role.PARTNER, kind_slug="commune"):
    from observatoire.organizations.models import Organization

    organization = Organization.objects.filter(name=name).first() or make_organization(
        name, kind_slug=kind_slug
    )
    return ProjectPartner.objects.create(project=project, organization=organization, role=role)


def lead_of(project):
    return project.partners.get(role=ProjectPartner.Role.LEAD)


def make_budget(project):
    """A budget of 100,000 EUR: four lines, one of them in XOF."""
    lead = lead_of(project)
    services.budget_create(
        project=project,
        adopted_on=datetime.date(2023, 12, 1),
        lines=[
            services.LineInput(BudgetLine.Category.STAFF, "Coordination", D("40000"), 2024, lead),
            services.LineInput(BudgetLine.Category.TRAVEL, "Missions", D("20000"), 2024, lead),
            services.LineInput(BudgetLine.Category.EQUIPMENT, "Bacs de collecte", D("30000"), 2024),
            services.LineInput(
                BudgetLine.Category.TRAINING,
                "Formation des agents",
                D("6559570"),  # 10,000.00 EUR at 0.00152449
                2024,
                currency="XOF",
                rate_to_eur=D("0.00152449"),
            ),
        ],
    )
    return {line.label: line for line in project.budget_lines.all()}


def make_ministry():
    return make_organization(
        "Ministère de l'Europe et des Affaires étrangères (DAECT)", kind_slug="public-agency"
    )


FUNDER_KIND = FunderKind
