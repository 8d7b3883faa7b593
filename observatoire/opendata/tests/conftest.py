"""A small register with what must and must not reach the open data."""

import datetime
from decimal import Decimal

import pytest

from observatoire.core.testing import make_organization, make_person
from observatoire.events.models import Event, Sitting
from observatoire.finance.models import BudgetAmount, BudgetLine, BudgetVersion
from observatoire.organizations.models import Affiliation, Consent, Organization, Visibility
from observatoire.organizations.services import consent_record
from observatoire.partnerships.models import Partnership
from observatoire.projects.models import Phase, Project, ProjectPartner, ProjectPlace
from observatoire.projects.services import project_save
from observatoire.referentials.models import SDG, Commune, Country, DacSector, Theme

HIDDEN_WEBSITE = "https://cache-cache.example.org"
HIDDEN_SUMMARY = "Résumé réservé aux membres"


@pytest.fixture(autouse=True)
def open_data_root(settings, tmp_path):
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"
    settings.OPEN_DATA_IDENTIFIER_PREFIX = "XI-RRMA-NA"
    return settings.OPEN_DATA_ROOT


def _consent(person, granted, days_ago):
    consent_record(
        person=person,
        purpose=Consent.Purpose.DIRECTORY,
        granted=granted,
        source=Consent.ConsentSource.FORM,
        wording="J'accepte d'apparaître dans l'annuaire.",
        given_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days_ago),
    )


@pytest.fixture
def register(db):
    """Listed organisations with a hidden field, people with and without consent, a project."""
    water = Theme.objects.get(slug="water-sanitation")
    sdg6 = SDG.objects.get(number=6)
    burkina = Country.objects.get(iso2="BF")
    eau_vive = make_organization(
        "Association Eau Vive Charente",
        commune=Commune.objects.get(insee_code="16015"),
        rna="W161001234",
        website=HIDDEN_WEBSITE,
        status=Organization.Status.QUALIFIED,
        field_visibility={"website": Visibility.MEMBERS},
    )
    eau_vive.themes.add(water)
    eau_vive.sdgs.add(sdg6)
    eau_vive.countries.add(burkina)
    poitiers = make_organization(
        "Ville de Poitiers",
        kind_slug="commune",
        commune=Commune.objects.get(insee_code="86194"),
        siren="732829320",
        website="https://www.poitiers.fr",
        status=Organization.Status.QUALIFIED,
    )
    dedougou = make_organization(
        "Commune de Dédougou",
        kind_slug="commune",
        seat_country=burkina,
        seat_locality="Dédougou",
        latitude=Decimal("12.46"),
        longitude=Decimal("-3.46"),
        coordinates_overridden=True,
    )
    draft = make_organization("Association Brouillon", status=Organization.Status.DRAFT)
    merged = make_organization("Eau Vive (doublon)", status=Organization.Status.QUALIFIED)
    Organization.objects.filter(pk=merged.pk).update(merged_into=eau_vive)

    consenting = make_person("Awa", "Traoré", email="awa.traore@eauvive.example")
    silent = make_person("Jean", "Discret", email="jean.discret@eauvive.example")
    withdrawn = make_person("Paul", "Retiré", email="paul.retire@eauvive.example")
    for person, role in ((consenting, "Présidente"), (silent, "Trésorier"), (withdrawn, "Membre")):
        Affiliation.objects.create(person=person, organization=eau_vive, role=role)
    _consent(consenting, True, 10)
    _consent(withdrawn, True, 10)
    _consent(withdrawn, False, 1)

    Partnership.objects.create(
        french_authority=poitiers, foreign_authority=dedougou, since_year=2005
    ).themes.add(water)

    project = project_save(
        project=Project(
            title="Eau potable à Dédougou",
            summary=HIDDEN_SUMMARY,
            phase=Phase.IMPLEMENTATION,
            planned_start=datetime.date(2025, 1, 1),
            planned_end=datetime.date(2027, 12, 31),
            is_published=True,
            field_visibility={"summary": Visibility.MEMBERS, "budget": Visibility.PUBLIC},
        ),
        lead=eau_vive,
    )
    project.countries.add(burkina)
    project.sdgs.add(sdg6)
    project.themes.add(water)
    project.dac_sectors.add(DacSector.objects.get(code="14030"))
    ProjectPartner.objects.create(
        project=project, organization=poitiers, role=ProjectPartner.Role.FUNDER
    )
    ProjectPartner.objects.create(
        project=project, organization=dedougou, role=ProjectPartner.Role.PARTNER
    )
    ProjectPlace.objects.create(
        project=project,
        name="Dédougou",
        country=burkina,
        latitude=Decimal("12.4634"),
        longitude=Decimal("-3.4607"),
    )
    version = BudgetVersion.objects.create(project=project, number=1, kind="original")
    line = BudgetLine.objects.create(project=project, category="works", label="Forages")
    BudgetAmount.objects.create(version=version, line=line, amount=Decimal("48000.00"))
    project_save(project=Project(title="Projet non publié", is_published=False), lead=eau_vive)

    event = Event.objects.create(
        title="Formation : monter un projet eau",
        slug="formation-projet-eau",
        kind=Event.Kind.TRAINING,
        status=Event.Status.PUBLISHED,
        commune=Commune.objects.get(insee_code="86194"),
    )
    start = datetime.datetime(2026, 3, 5, 9, 30, tzinfo=datetime.UTC)
    Sitting.objects.create(
        event=event, starts_at=start, ends_at=start + datetime.timedelta(hours=3)
    )
    return {
        "eau_vive": eau_vive,
        "poitiers": poitiers,
        "dedougou": dedougou,
        "draft": draft,
        "merged": merged,
        "consenting": consenting,
        "silent": silent,
        "withdrawn": withdrawn,
        "project": project,
        "event": event,
    }
