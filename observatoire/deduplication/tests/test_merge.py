"""Merging two organisations: nothing lost, everything moved, and undone exactly."""

import datetime

import pytest
from django.core import serializers
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_person, make_user
from observatoire.deduplication.models import DuplicateCandidate
from observatoire.deduplication.services import MergeError, merge_undo, organization_merge
from observatoire.organizations.models import (
    Affiliation,
    BoardSeat,
    Interaction,
    InterventionPlace,
    Membership,
    Organization,
    OrganizationRelation,
)
from observatoire.referentials.models import College, Commune, Country, Theme

pytestmark = pytest.mark.django_db


def state() -> list:
    """Every row of the register that a merge may touch, serialised."""
    rows = []
    for model in (
        Organization,
        Affiliation,
        Membership,
        OrganizationRelation,
        BoardSeat,
        InterventionPlace,
    ):
        rows += serializers.serialize("python", model.objects.order_by("pk"))
    for row in rows:
        row["fields"].pop("updated_at", None)
        row["fields"].pop("search_text", None)
    interactions = {i.pk: sorted(i.organizations.values_list("pk", flat=True)) for i in
                    Interaction.objects.all()}  # fmt: skip
    return [rows, interactions]


@pytest.fixture
def pair(staff):
    niort = Commune.objects.get(insee_code="79191")
    college = College.objects.first()
    themes = list(Theme.objects.order_by("pk")[:3])
    survivor = make_organization(
        "Association des Togolais de Niort", commune=niort, siren="732829320"
    )
    survivor.themes.set(themes[:2])
    merged = make_organization(
        "Asso des Togolais de Niort",
        acronym="ATN",
        rna="W792001234",
        website="https://atn79.org",
        phone="05 49 00 00 00",
    )
    merged.themes.set(themes[1:])
    partner = make_organization("Les Amis d'Atakpamé")
    awa = make_person("Awa", "Traoré")
    paul = make_person("Paul", "Martin")
    Affiliation.objects.create(person=awa, organization=survivor, is_main_contact=True)
    Affiliation.objects.create(person=paul, organization=merged, is_main_contact=True)
    Membership.objects.create(organization=survivor, year=2024, college=college)
    Membership.objects.create(
        organization=merged, year=2024, college=college, paid_on=datetime.date(2024, 3, 1)
    )
    Membership.objects.create(organization=merged, year=2025, college=college)
    OrganizationRelation.objects.create(source=merged, kind="partner_of", target=partner)
    OrganizationRelation.objects.create(source=partner, kind="partner_of", target=merged)
    OrganizationRelation.objects.create(source=survivor, kind="partner_of", target=merged)
    InterventionPlace.objects.create(
        organization=merged, name="Atakpamé", country=Country.objects.get(iso2="TG")
    )
    BoardSeat.objects.create(
        organization=merged, college=college, person=paul, start_date=datetime.date(2023, 1, 1)
    )
    both = Interaction.objects.create(kind="call", subject="Both", occurred_at=timezone.now())
    both.organizations.set([survivor, merged])
    only = Interaction.objects.create(kind="call", subject="Merged", occurred_at=timezone.now())
    only.organizations.set([merged])
    editor = make_user(Role.ORGANIZATION_EDITOR, organization=merged)
    candidate = DuplicateCandidate.objects.create(
        first=survivor, second=merged, score=0.93, reasons=["noms proches"]
    )
    return {
        "survivor": survivor,
        "merged": merged,
        "partner": partner,
        "themes": themes,
        "editor": editor,
        "candidate": candidate,
        "only": only,
        "both": both,
        "paul": paul,
    }


def test_merge_moves_everything_and_keeps_the_chosen_fields(pair, staff):
    survivor, merged = pair["survivor"], pair["merged"]
    record = organization_merge(
        survivor=survivor,
        merged=merged,
        field_choices={"acronym": "merged", "website": "merged", "name": "survivor"},
        user=staff,
    )
    survivor.refresh_from_db()
    merged.refresh_from_db()
    assert survivor.name == "Association des Togolais de Niort"
    assert survivor.acronym == "ATN"
    assert survivor.website == "https://atn79.org"
    assert survivor.phone == ""  # not chosen: stays the survivor's
    assert set(survivor.themes.all()) == set(pair["themes"])
    # People: both, one main contact only (the merged one's flag dropped, not the person).
    assert set(survivor.affiliations.values_list("person__last_name", "is_main_contact")) == {
        ("Traoré", True),
        ("Martin", False),
    }
    # Memberships: 2025 moves; 2024 exists on both, the merged one's stays on the archive.
    assert sorted(survivor.memberships.values_list("year", flat=True)) == [2024, 2025]
    assert list(merged.memberships.values_list("year", flat=True)) == [2024]
    # Relations: both directions move; the one between the two would point at itself: stays.
    assert OrganizationRelation.objects.filter(source=survivor, target=pair["partner"]).exists()
    assert OrganizationRelation.objects.filter(source=pair["partner"], target=survivor).exists()
    assert OrganizationRelation.objects.filter(source=survivor, target=merged).exists()
    assert survivor.places.count() == 1
    assert survivor.board_seats.count() == 1
    assert set(pair["only"].organizations.all()) == {survivor}
    assert set(pair["both"].organizations.all()) == {survivor}
    pair["editor"].refresh_from_db()
    assert pair["editor"].organization == survivor
    # The merged record: archived, pointing at the survivor, its identifiers still found.
    assert merged.status == Organization.Status.ARCHIVED
    assert merged.merged_into == survivor
    assert "w792001234" in survivor.search_text
    assert "asso des togolais" in survivor.search_text
    # History and decision.
    assert survivor.history.first().history_change_reason.startswith("merge:")
    assert merged.history.first().history_user == staff
    pair["candidate"].refresh_from_db()
    assert pair["candidate"].status == DuplicateCandidate.Status.MERGED
    assert record.summary["left"]
    assert record.summary["fields"] == ["acronym", "website"]


def test_undo_restores_both_records_and_every_row_exactly(pair, staff):
    before = state()
    record = organization_merge(
        survivor=pair["survivor"],
        merged=pair["merged"],
        field_choices={"acronym": "merged", "commune": "merged", "rna": "merged"},
        user=staff,
    )
    assert state() != before
    merge_undo(merge=record, user=staff)
    assert state() == before
    survivor = Organization.objects.get(pk=pair["survivor"].pk)
    assert set(survivor.themes.all()) == set(pair["themes"][:2])
    assert "w792001234" not in survivor.search_text
    pair["candidate"].refresh_from_db()
    assert pair["candidate"].status == DuplicateCandidate.Status.OPEN
    record.refresh_from_db()
    assert record.undone_by == staff
    with pytest.raises(MergeError):
        merge_undo(merge=record, user=staff)


def test_cannot_merge_twice_or_with_itself(pair, staff):
    with pytest.raises(MergeError):
        organization_merge(
            survivor=pair["survivor"], merged=pair["survivor"], field_choices={}, user=staff
        )
    organization_merge(survivor=pair["survivor"], merged=pair["merged"], field_choices={},
                       user=staff)  # fmt: skip
    with pytest.raises(MergeError):
        organization_merge(
            survivor=pair["partner"], merged=pair["merged"], field_choices={}, user=staff
        )


def test_a_failed_merge_changes_nothing(pair, staff, monkeypatch):
    before = state()

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("observatoire.deduplication.services.organization_save", broken)
    with pytest.raises(RuntimeError):
        organization_merge(
            survivor=pair["survivor"], merged=pair["merged"], field_choices={}, user=staff
        )
    assert state() == before


def test_every_relation_to_an_organisation_is_moved_by_a_merge():
    """Models that later issues attach to an organisation are found without being listed."""
    from observatoire.deduplication.services import _organization_relations

    foreign_keys, many_to_many = _organization_relations()
    moved = {(m._meta.label, f.name) for m, f in foreign_keys} | {
        (m._meta.label, name) for m, name in many_to_many
    }
    for relation in Organization._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label == "deduplication" or relation.field.name == "merged_into":
            continue
        if relation.many_to_many and not relation.through._meta.auto_created:
            continue  # moved through its own foreign keys (Person.organizations: Affiliation)
        if relation.field.primary_key:
            continue  # derived from the record (the search index's entry), refreshed instead
        assert (model._meta.label, relation.field.name) in moved
    assert ("accounts.User", "organization") in moved
    assert ("organizations.Interaction", "organizations") in moved


def test_two_listed_organisations_merge_and_the_directory_follows(staff, client):
    """Both have an entry in the public search index: the merge must not try to move it."""
    from observatoire.portal.tests.factories import make_listed_organization

    survivor = make_listed_organization("Association Eau Vive Charente")
    merged = make_listed_organization("Asso Eau Vive Charente")

    merge = organization_merge(survivor=survivor, merged=merged, field_choices={}, user=staff)

    listed = client.get("/annuaire/", {"q": "eau vive"}).content.decode()
    assert "Association Eau Vive Charente" in listed
    assert "Asso Eau Vive Charente" not in listed
    response = client.get(f"/annuaire/{merged.slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/annuaire/{survivor.slug}/"

    merge_undo(merge=merge, user=staff)
    listed = client.get("/annuaire/", {"q": "eau vive"}).content.decode()
    assert "Asso Eau Vive Charente" in listed
