"""The deduplication pages of the back office, as each persona meets them."""

import pytest
from django.urls import reverse

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_user
from observatoire.deduplication.models import DuplicateCandidate, MergeRecord
from observatoire.deduplication.services import organization_merge
from observatoire.organizations.models import Organization
from observatoire.organizations.tests.test_admin import admin_form_data
from observatoire.referentials.models import Commune, OrganizationKind

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:deduplication_duplicatecandidate_changelist")
RUN = reverse("admin:deduplication_duplicatecandidate_run")
MERGES = reverse("admin:deduplication_mergerecord_changelist")
ADD = reverse("admin:organizations_organization_add")


@pytest.fixture
def candidate():
    pessac = Commune.objects.get(insee_code="33318")
    first = make_organization("Ville de Pessac", kind_slug="commune", commune=pessac)
    second = make_organization(
        "Mairie de Pessac", kind_slug="commune", commune=pessac, website="https://pessac.fr"
    )
    return DuplicateCandidate.objects.create(
        first=first, second=second, score=0.97, reasons=["names", "commune"]
    )


def merge_url(candidate):
    return reverse("admin:deduplication_duplicatecandidate_merge", args=[candidate.pk])


@pytest.mark.parametrize("persona", ["administrator", "staff", "observatory"])
def test_back_office_sees_the_pairs_and_the_comparison(client, persona, request, candidate):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ville de Pessac" in page and "0.97" in page and "noms proches" in page
    assert ("Lancer la recherche de doublons" in page) == (persona != "observatory")
    response = client.get(merge_url(candidate))
    assert response.status_code == 200
    assert ("je confirme la fusion" in response.content.decode()) == (persona != "observatory")


def test_pairs_list_runs_a_fixed_number_of_queries(
    client, staff, candidate, django_assert_max_num_queries
):
    for index in range(10):
        a = make_organization(f"Les Amis de Kaya {index}")
        b = make_organization(f"Amis de Kaya {index}")
        DuplicateCandidate.objects.create(first=a, second=b, score=0.9, reasons=[])
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(CHANGELIST).status_code == 200


def test_editor_and_anonymous_may_not_see_duplicates(client, editor, candidate):
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(merge_url(candidate)).status_code == 302
    client.force_login(editor)
    for url in (CHANGELIST, merge_url(candidate), MERGES):
        assert client.get(url).status_code in (302, 403)
    assert client.post(merge_url(candidate), {"confirm": "yes"}).status_code in (302, 403)
    assert not MergeRecord.objects.exists()


def test_observatory_may_not_merge_dismiss_or_run(client, observatory, candidate):
    client.force_login(observatory)
    assert client.post(merge_url(candidate), {"confirm": "yes"}).status_code == 403
    assert client.post(RUN).status_code == 403
    response = client.post(
        CHANGELIST, {"action": "dismiss_selected", "_selected_action": [candidate.pk]}
    )
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.OPEN
    assert response.status_code in (200, 302, 403)
    assert not MergeRecord.objects.exists()


def test_staff_merges_after_confirming_and_the_old_page_redirects(client, staff, candidate):
    client.force_login(staff)
    data = {"keep": "first", "field_name": "first", "field_website": "second"}
    response = client.post(merge_url(candidate), data)
    assert response.status_code == 200
    assert "Cochez la case de confirmation" in response.content.decode()
    assert not MergeRecord.objects.exists()

    response = client.post(merge_url(candidate), {**data, "confirm": "yes"})
    survivor_url = reverse("admin:organizations_organization_change", args=[candidate.first_id])
    assert response.status_code == 302 and response["Location"] == survivor_url
    survivor = Organization.objects.get(pk=candidate.first_id)
    assert survivor.name == "Ville de Pessac"
    assert survivor.website == "https://pessac.fr"
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.MERGED

    old_url = reverse("admin:organizations_organization_change", args=[candidate.second_id])
    response = client.get(old_url, follow=True)
    assert response.redirect_chain[-1][0] == survivor_url
    assert "a été fusionné" in response.content.decode()
    # The pair is decided: posting again changes nothing.
    assert client.post(merge_url(candidate), {**data, "confirm": "yes"}).status_code == 302


def test_bad_merge_input_is_ignored_without_server_error(client, staff, candidate):
    client.force_login(staff)
    response = client.post(
        merge_url(candidate), {"keep": "<script>", "field_name": "third", "field_x": "first"}
    )
    assert response.status_code == 200
    assert (
        client.get(reverse("admin:deduplication_duplicatecandidate_merge", args=[999])).status_code
        == 404
    )
    assert (
        client.get(CHANGELIST, {"score": "abc", "departement": "x", "status": "??"}).status_code
        == 200
    )


def test_staff_dismisses_a_pair_and_the_finder_leaves_it(
    client, staff, candidate, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    response = client.post(
        CHANGELIST, {"action": "dismiss_selected", "_selected_action": [candidate.pk]}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISMISSED
    assert candidate.decided_by == staff
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(RUN)  # the immediate backend runs the finder on commit
    assert len(callbacks) == 1
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.DISMISSED
    page = client.get(CHANGELIST).content.decode()
    assert "Ville de Pessac" not in page  # the list shows pairs to review by default
    assert "Ville de Pessac" in client.get(CHANGELIST, {"status": "dismissed"}).content.decode()


def test_run_button_finds_pairs(client, staff, django_capture_on_commit_callbacks):
    make_organization("Les Amis d'Atakpamé", rna="W792001234")
    make_organization("Amis d'Atakpame (Les)", rna="W792001234")
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RUN, follow=True)
    assert "arrière-plan" in response.content.decode()
    assert DuplicateCandidate.objects.count() == 1


def test_staff_undoes_a_merge_from_the_list_of_merges(client, staff, observatory, candidate):
    merge = organization_merge(
        survivor=candidate.first, merged=candidate.second, field_choices={}, user=staff
    )
    client.force_login(observatory)
    assert client.get(MERGES).status_code == 200
    client.post(MERGES, {"action": "undo_selected", "_selected_action": [merge.pk]})
    merge.refresh_from_db()
    assert merge.undone_at is None

    client.force_login(staff)
    page = client.get(reverse("admin:deduplication_mergerecord_change", args=[merge.pk]))
    assert page.status_code == 200
    response = client.post(MERGES, {"action": "undo_selected", "_selected_action": [merge.pk]})
    assert response.status_code == 302
    merge.refresh_from_db()
    assert merge.undone_by == staff
    merged = Organization.objects.get(pk=candidate.second_id)
    assert merged.merged_into is None and merged.status != Organization.Status.ARCHIVED


def test_new_organisation_screen_warns_of_duplicates_until_create_anyway(client, staff):
    existing = make_organization("Association des Togolais de Niort", rna="W792001234")
    client.force_login(staff)
    data = admin_form_data(
        client,
        ADD,
        name="Asso des Togolais de Niort",
        kind=OrganizationKind.objects.get(slug="association").pk,
        status="draft",
        source="staff",
        phone="05 49 00 00 00",
    )
    response = client.post(ADD, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "est peut-être déjà dans le registre" in page
    assert reverse("admin:organizations_organization_change", args=[existing.pk]) in page
    assert "05 49 00 00 00" in page  # what was typed is kept
    assert "Créer quand même" in page
    assert Organization.objects.count() == 1

    response = client.post(ADD, {**data, "create_anyway": "on"})
    assert response.status_code == 302
    assert Organization.objects.count() == 2


def test_new_organisation_without_lookalike_is_created_directly(client, staff):
    make_organization("Terre des Hommes")
    client.force_login(staff)
    data = admin_form_data(
        client,
        ADD,
        name="Association Puits du Sahel",
        kind=OrganizationKind.objects.get(slug="association").pk,
        status="draft",
        source="staff",
    )
    assert client.post(ADD, data).status_code == 302


def test_organisation_editor_does_not_reach_the_deduplication(client, db):
    organization = make_organization()
    user = make_user(Role.ORGANIZATION_EDITOR, organization=organization)
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code in (302, 403)


def test_merges_list_runs_a_fixed_number_of_queries(client, staff, django_assert_max_num_queries):
    for index in range(8):
        survivor = make_organization(f"Les Amis de Kaya {index}")
        merged = make_organization(f"Amis de Kaya {index}")
        organization_merge(survivor=survivor, merged=merged, field_choices={}, user=staff)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        page = client.get(MERGES)
    assert page.status_code == 200
    assert "Amis de Kaya 7" in page.content.decode()


def test_reasons_are_shown_in_the_reader_language(client, staff):
    first = make_organization("Association Eau Vive Charente")
    second = make_organization("Asso. Eau-Vive Charente")
    DuplicateCandidate.objects.create(first=first, second=second, score=0.9, reasons=["names"])
    client.force_login(staff)
    french = client.get(CHANGELIST, headers={"accept-language": "fr"})
    english = client.get(CHANGELIST, headers={"accept-language": "en"})
    assert "noms proches" in french.content.decode()
    assert "similar names" in english.content.decode()


def test_the_departement_filter_offers_only_departements_with_pairs(client, staff):
    angouleme = Commune.objects.get(insee_code="16015")
    first = make_organization("Association Eau Vive Charente", commune=angouleme)
    second = make_organization("Asso. Eau-Vive Charente", commune=angouleme)
    DuplicateCandidate.objects.create(first=first, second=second, score=0.9, reasons=["names"])
    client.force_login(staff)
    page = client.get(CHANGELIST).content.decode()
    assert "16 Charente" in page
    assert "33 Gironde" not in page


def test_the_organisation_record_lists_its_open_duplicates(client, staff, candidate):
    client.force_login(staff)
    record = reverse("admin:organizations_organization_change", args=[candidate.first.pk])

    page = client.get(record)

    assert "Doublons possibles" in page.text
    assert "Mairie de Pessac" in page.text
    assert merge_url(candidate) in page.text

    candidate.status = DuplicateCandidate.Status.DISMISSED
    candidate.save()
    assert "Doublons possibles" not in client.get(record).text
