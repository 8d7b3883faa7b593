import pytest

from observatoire.core.testing import make_organization
from observatoire.organizations.models import Organization
from observatoire.projects.models import Project, ProjectPartner
from observatoire.projects.services import project_save
from observatoire.referentials.models import SDG, Commune, Country, Theme


def listed(name: str, *, themes=(), countries=(), sdgs=(), kind_slug="association", **fields):
    """A qualified organisation, so listed in the directory, with its public qualification."""
    organization = make_organization(
        name, kind_slug=kind_slug, status=Organization.Status.QUALIFIED, **fields
    )
    organization.themes.set(Theme.objects.filter(slug__in=themes))
    organization.countries.set(Country.objects.filter(iso2__in=countries))
    organization.sdgs.set(SDG.objects.filter(number__in=sdgs))
    return organization


def published(title: str, *, lead, themes=(), countries=(), sdgs=(), funders=(), **fields):
    project = project_save(project=Project(title=title, is_published=True, **fields), lead=lead)
    project.themes.set(Theme.objects.filter(slug__in=themes))
    project.countries.set(Country.objects.filter(iso2__in=countries))
    project.sdgs.set(SDG.objects.filter(number__in=sdgs))
    for funder in funders:
        ProjectPartner.objects.create(
            project=project, organization=funder, role=ProjectPartner.Role.FUNDER
        )
    return project


@pytest.fixture
def network(db):
    return build_network()


def build_network() -> dict:
    """A small directory: three listed organisations, one draft, and their projects."""
    # A commune of Gironde: the services derive the département from the commune.
    gironde = Commune.objects.filter(departement__code="33").order_by("name").first()
    eau = listed(
        "Eau Vive Gironde",
        description="Forages et formation de techniciens au Burkina Faso.",
        themes=["water-sanitation"],
        countries=["BF"],
        sdgs=[6],
        commune=gironde,
    )
    ecole = listed(
        "Écoles du Sahel",
        description="Nous soutenons des écoles et l'accès à l'eau potable.",
        themes=["education"],
        countries=["BF", "SN"],
        sdgs=[4, 6],
        commune=gironde,
    )
    ville = listed(
        "Ville de Pessac",
        kind_slug="commune",
        description="Coopération décentralisée avec une ville du Sénégal.",
        themes=["education", "water-sanitation"],
        countries=["SN"],
        sdgs=[4],
    )
    draft = make_organization("Formation Brouillon", description="Formations en attente")
    projects = {
        "forages": published(
            "Forages à Dédougou",
            lead=eau,
            themes=["water-sanitation"],
            countries=["BF"],
            sdgs=[6],
            phase="implementation",
            funders=[ville],
        ),
        "cantines": published(
            "Cantines scolaires", lead=ecole, themes=["education"], countries=["SN"], sdgs=[4]
        ),
        "hidden": project_save(project=Project(title="Formations cachées"), lead=eau),
    }
    return {"eau": eau, "ecole": ecole, "ville": ville, "draft": draft, **projects}
