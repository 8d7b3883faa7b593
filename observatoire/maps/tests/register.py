"""A small public register for the map tests (also used by e2e/test_maps.py)."""

from dataclasses import dataclass
from decimal import Decimal

from observatoire.core.testing import ensure_reference_data, make_organization
from observatoire.organizations.models import Organization
from observatoire.partnerships.models import Partnership
from observatoire.projects.models import Project, ProjectPartner, ProjectPlace
from observatoire.referentials.models import SDG, Commune, Country, Theme


@dataclass
class Register:
    poitiers: Organization
    bordeaux: Organization
    hidden_address: Organization
    draft: Organization
    oujda: Organization
    project: Project
    hidden_places: Project
    unpublished: Project
    partnership: Partnership


def qualified(name: str, insee: str, *, countries=(), themes=(), sdgs=(), **fields):
    organization = make_organization(
        name, commune=Commune.objects.get(insee_code=insee), status="qualified", **fields
    )
    organization.countries.set(Country.objects.filter(iso2__in=countries))
    organization.themes.set(Theme.objects.filter(slug__in=themes))
    organization.sdgs.set(SDG.objects.filter(number__in=sdgs))
    return organization


def project(title: str, slug: str, *, countries=(), lead=None, published=True, **fields):
    item = Project.objects.create(title=title, slug=slug, is_published=published, **fields)
    item.countries.set(Country.objects.filter(iso2__in=countries))
    for iso2 in countries:
        ProjectPlace.objects.create(
            project=item,
            name=f"Ville de {iso2}",
            country=Country.objects.get(iso2=iso2),
            latitude=Decimal("12.37"),
            longitude=Decimal("-1.52"),
        )
    if lead:
        ProjectPartner.objects.create(project=item, organization=lead, role="lead")
    return item


def build_register() -> Register:
    """Three listed organisations, a draft, a partner abroad, three projects, a partnership."""
    ensure_reference_data()
    poitiers = qualified(
        "Ville de Poitiers",
        "86194",
        countries=["MA", "BF"],
        themes=["water-sanitation"],
        sdgs=[6],
        kind_slug="commune",
    )
    bordeaux = qualified("Association Bordeaux Solidarité", "33063", countries=["BF"], sdgs=[4])
    hidden_address = qualified(
        "Association Discrète",
        "86066",
        countries=["SN"],
        field_visibility={"address_line1": "staff", "countries": "staff"},
        address_line1="3 rue Secrète",
        latitude=Decimal("46.900000"),
        longitude=Decimal("0.300000"),
        coordinates_overridden=True,
    )
    draft = make_organization(
        "Brouillon Caché", commune=Commune.objects.get(insee_code="87085"), status="draft"
    )
    draft.countries.set(Country.objects.filter(iso2__in=["BF"]))
    oujda = make_organization(
        "Commune urbaine d'Oujda", kind_slug="commune", seat_country=Country.objects.get(iso2="MA")
    )
    item = project("Eau potable à Dédougou", "eau-dedougou", countries=["BF"], lead=poitiers)
    hidden_places = project(
        "Projet discret", "projet-discret", countries=["SN"], field_visibility={"places": "staff"}
    )
    unpublished = project("Projet brouillon", "projet-brouillon", countries=["MG"], published=False)
    partnership = Partnership.objects.create(french_authority=poitiers, foreign_authority=oujda)
    return Register(
        poitiers,
        bordeaux,
        hidden_address,
        draft,
        oujda,
        item,
        hidden_places,
        unpublished,
        partnership,
    )
