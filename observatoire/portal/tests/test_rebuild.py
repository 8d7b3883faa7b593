import pytest

from observatoire.organizations.models import InterventionPlace, Organization
from observatoire.portal import index
from observatoire.portal.models import (
    OrganizationEntry,
    OrganizationFacet,
    ProjectEntry,
    ProjectFacet,
)
from observatoire.projects.models import ProjectPartner, ProjectPlace
from observatoire.referentials.models import ActionKind, Country

from .conftest import build_network, listed, published

pytestmark = pytest.mark.django_db


def index_content() -> dict:
    """Every entry and facet row of the public index, comparable across builds."""
    return {
        "organizations": sorted(
            OrganizationEntry.objects.values_list(
                "pk", "name_text", "body_text", "sort_name", "updated_at"
            )
        ),
        "organization facets": sorted(
            OrganizationFacet.objects.values_list("entry_id", "facet", "value")
        ),
        "projects": sorted(
            ProjectEntry.objects.values_list(
                "pk", "name_text", "body_text", "sort_name", "updated_at"
            )
        ),
        "project facets": sorted(ProjectFacet.objects.values_list("entry_id", "facet", "value")),
    }


def test_a_rebuild_writes_the_index_the_signals_kept_up_to_date():
    network = build_network()
    senegal, morocco = Country.objects.get(iso2="SN"), Country.objects.get(iso2="MA")
    # An organisation with everything the index reads, some of it private.
    diaspora = listed(
        "Association des Ressortissants de Kayes",
        acronym="ARK",
        kind_slug="diaspora-association",
        description="Jumelage et échanges scolaires.",
        themes=["education", "health"],
        countries=["ML", "SN"],
        sdgs=[3, 4],
        seat_country=morocco,
        seat_locality="Tafraout",
    )
    diaspora.action_kinds.set(ActionKind.objects.order_by("pk")[:2])
    InterventionPlace.objects.create(organization=diaspora, name="Kayes", country=senegal)
    InterventionPlace.objects.create(organization=diaspora, name="Bakel", country=senegal)
    private = listed(
        "Collectif Discret",
        acronym="CD",
        description="Ce texte est réservé aux membres.",
        themes=["water-sanitation"],
        countries=["BF"],
    )
    private.field_visibility = {"description": "members", "themes": "staff", "acronym": "staff"}
    private.save()
    # Merged and unqualified records stay out.
    merged = listed("Eau Vive Gironde (doublon)")
    merged.merged_into = network["eau"]
    merged.save()
    project = published(
        "Échanges scolaires à Kayes",
        lead=diaspora,
        summary="Des classes correspondent.",
        description="Voyages d'élèves et formation des enseignants.",
        themes=["education"],
        countries=["ML"],
        sdgs=[4],
        funders=[network["ville"]],
    )
    ProjectPartner.objects.create(
        project=project, organization=network["ecole"], role=ProjectPartner.Role.PARTNER
    )
    ProjectPlace.objects.create(project=project, name="Kayes", country=senegal)
    project.field_visibility = {"summary": "members", "funders": "staff"}
    project.save()
    assert Organization.objects.filter(status=Organization.Status.QUALIFIED).count() == 6

    kept_up_to_date = index_content()
    assert len(kept_up_to_date["organizations"]) == 5  # the draft and the merged one are out
    assert index.index_rebuild() == (5, 3)
    assert index_content() == kept_up_to_date
