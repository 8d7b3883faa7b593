"""The workspace pages of projects, with the personas that may and may not use them."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from observatoire.core.testing import make_organization, make_person
from observatoire.events.models import Event
from observatoire.organizations.models import Affiliation
from observatoire.projects import services
from observatoire.projects.models import (
    ChecklistItem,
    GovernanceBody,
    Phase,
    Project,
    ProjectDocument,
    ProjectPartner,
    Stakeholder,
)
from observatoire.projects.testing import project_form_data
from observatoire.referentials.models import Country, Theme

pytestmark = pytest.mark.django_db

TABS = [
    "detail",
    "partners",
    "checklist",
    "stakeholders",
    "governance",
    "results",
    "documents",
    "news",
]


def _place(index, name, share, country="BF"):
    country_pk = Country.objects.get(iso2=country).pk
    return {
        f"places-{index}-name": name,
        f"places-{index}-country": str(country_pk),
        f"places-{index}-commune_query": "",
        f"places-{index}-latitude": "",
        f"places-{index}-longitude": "",
        f"places-{index}-budget_share": share,
    }


# List -----------------------------------------------------------------------------------------


def test_the_list_needs_a_login(client):
    response = client.get(reverse("projects:list"))
    assert response.status_code == 302 and "/compte/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "sees_project", "may_create"),
    [
        ("staff", True, True),
        ("observatory", True, False),
        ("editor", True, True),
        ("partner_editor", True, True),
        ("outsider_editor", False, True),
    ],
)
def test_the_list_shows_the_projects_each_persona_may_open(
    client, request, project, partner_editor, persona, sees_project, may_create
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("projects:list"))
    assert response.status_code == 200
    assert ("Eau potable à Dédougou" in response.text) is sees_project
    assert (reverse("projects:create") in response.text) is may_create


def test_the_list_filters_and_keeps_the_filters_in_the_pages(client, staff, organization):
    water = Theme.objects.get(slug="water-sanitation")
    for number in range(30):
        project = services.project_save(
            project=Project(title=f"Projet eau {number:02}", phase=Phase.CONSTRUCTION),
            lead=organization,
        )
        project.themes.add(water)
    services.project_save(project=Project(title="Projet santé"))
    client.force_login(staff)
    url = reverse("projects:list")
    response = client.get(url, {"phase": "construction", "theme": water.pk})
    assert response.status_code == 200
    assert "30 projets" in response.text and "Projet santé" not in response.text
    assert "phase=construction&amp;theme=" in response.text and "page=2" in response.text
    assert "Association Eau Vive Charente" in response.text
    response = client.get(url, {"q": "santé"})
    assert "Projet santé" in response.text and "Projet eau 01" not in response.text
    response = client.get(url, {"partner": organization.pk, "phase": "nonsense", "theme": "x"})
    assert "30 projets" in response.text


def test_the_list_takes_a_few_queries_whatever_the_number_of_projects(
    client, staff, organization, django_assert_max_num_queries
):
    for number in range(25):
        services.project_save(project=Project(title=f"Projet {number}"), lead=organization)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("projects:list")).status_code == 200


# Tabs: who may open them ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("staff", 200),
        ("observatory", 200),
        ("editor", 200),
        ("partner_editor", 200),
        ("outsider_editor", 403),
    ],
)
def test_every_tab_opens_for_those_who_may_read_the_project(
    client, request, project, partner_editor, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    for tab in TABS:
        response = client.get(reverse(f"projects:{tab}", args=[project.pk]))
        assert response.status_code == status, tab
    response = client.get(reverse("projects:edit", args=[project.pk]))
    assert response.status_code == (200 if persona in ("staff", "editor") else 403)


def test_the_overview_shows_what_the_phase_lacks_in_a_few_queries(
    client, staff, project, django_assert_max_num_queries
):
    project.sdgs.add(
        *__import__("observatoire.referentials.models").referentials.models.SDG.objects.filter(
            number__in=[6, 17]
        )
    )
    client.force_login(staff)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("projects:detail", args=[project.pk]))
    assert "Enjeux partagés" in response.text
    assert "background: #" in response.text  # the SDGs in their colours
    assert "activité IATI" in response.text
    assert "1 — Identification" in response.text


def test_a_partner_edits_only_when_staff_allow_it(client, project, partner_editor):
    client.force_login(partner_editor)
    url = reverse("projects:edit", args=[project.pk])
    assert client.get(url).status_code == 403
    Project.objects.filter(pk=project.pk).update(partners_may_edit=True)
    assert client.get(url).status_code == 200
    # A partner may tick but not force the phase on.
    response = client.post(
        reverse("projects:checklist", args=[project.pk]),
        {"action": "phase", "phase": "construction", "confirm": "1"},
    )
    assert "Seuls l'équipe du réseau ou le chef de file" in response.text
    project.refresh_from_db()
    assert project.phase == Phase.EMERGENCE


# Create and edit -----------------------------------------------------------------------------


def test_an_editor_creates_a_project_their_organisation_leads(client, editor, organization):
    client.force_login(editor)
    water = Theme.objects.get(slug="water-sanitation")
    response = client.post(
        reverse("projects:create"),
        project_form_data(
            themes=[str(water.pk)], **_place(0, "Dédougou", "60"), **{"places-TOTAL_FORMS": "1"}
        ),
    )
    assert response.status_code == 302, response.text[:3000]
    project = Project.objects.get()
    assert project.lead_partner == organization
    assert project.places.get().budget_share == Decimal("60")
    # No sector chosen: those of the themes are proposed.
    assert set(project.dac_sectors.all()) == set(services.proposed_dac_sectors([water]))
    assert project.checklist.filter(phase=Phase.EMERGENCE).count() == 4


def test_the_observatory_and_strangers_do_not_create(client, observatory):
    assert client.get(reverse("projects:create")).status_code == 302
    client.force_login(observatory)
    assert client.get(reverse("projects:create")).status_code == 403


def test_end_before_start_is_refused_and_what_was_typed_is_kept(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("projects:create"),
        project_form_data(title="Projet à l'envers", planned_end="2025-01-01"),
    )
    assert response.status_code == 200
    assert "La fin prévue précède le début prévu." in response.text
    assert 'value="Projet à l&#x27;envers"' in response.text
    assert not Project.objects.exists()


def test_shares_over_100_percent_are_refused_in_french(client, staff, project):
    client.force_login(staff)
    data = project_form_data(project, **_place(0, "Dédougou", "70"), **_place(1, "Tenkodogo", "45"))
    data["places-TOTAL_FORMS"] = "2"
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == 200
    assert "115 %" in response.text and "plus de 100 %" in response.text
    assert 'value="Tenkodogo"' in response.text
    assert not project.places.exists()


def test_the_dac_sectors_are_proposed_on_request_keeping_the_form(client, staff, project):
    client.force_login(staff)
    water = Theme.objects.get(slug="water-sanitation")
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        project_form_data(project, title="Titre changé", themes=[str(water.pk)], propose_dac="1"),
    )
    assert response.status_code == 200
    assert 'value="Titre changé"' in response.text
    for sector in services.proposed_dac_sectors([water]):
        assert f'value="{sector.pk}" selected' in response.text
    project.refresh_from_db()
    assert project.title == "Eau potable à Dédougou"


def test_changing_phase_in_the_form_goes_through_the_checklist(client, staff, project):
    client.force_login(staff)
    url = reverse("projects:edit", args=[project.pk])
    response = client.post(url, project_form_data(project, phase="construction"))
    assert response.status_code == 200 and "phase-warning" in response.text
    project.refresh_from_db()
    assert project.phase == Phase.EMERGENCE
    response = client.post(url, project_form_data(project, phase="construction", confirm_phase="1"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == Phase.CONSTRUCTION


def test_per_field_visibility_is_saved(client, staff, project):
    client.force_login(staff)
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        project_form_data(project, visibility_budget="public", partners_may_edit="on"),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.field_visibility == {"budget": "public"}
    assert project.partners_may_edit


# Checklist -----------------------------------------------------------------------------------


def test_ticking_assigning_and_moving_on(client, staff, project, organization):
    client.force_login(staff)
    url = reverse("projects:checklist", args=[project.pk])
    item = project.checklist.first()
    client.post(url, {"action": "tick", "item": item.pk})
    item.refresh_from_db()
    assert item.done_on == timezone.localdate() and item.done_by == staff

    person = make_person("Awa", "Traoré")
    Affiliation.objects.create(person=person, organization=organization, role="Chargée de projet")
    response = client.post(
        reverse("projects:checklist_item", args=[project.pk, item.pk + 1]),
        {
            "responsible": person.pk,
            "responsible_organization": organization.pk,
            "due_on": "2026-03-01",
            "note": "",
        },
    )
    assert response.status_code == 302
    response = client.get(url)
    assert "Awa Traoré" in response.text and "01/03/2026" in response.text

    response = client.post(url, {"action": "phase", "phase": "construction"})
    assert "phase-warning" in response.text and "Enjeux partagés" in response.text
    response = client.post(url, {"action": "phase", "phase": "construction", "confirm": "1"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == Phase.CONSTRUCTION
    assert project.checklist.filter(phase=Phase.CONSTRUCTION).count() == 5
    response = client.get(url)
    assert "Émergence → Construction" in response.text
    assert "avec des étapes manquantes" in response.text


def test_the_observatory_reads_but_does_not_tick(client, observatory, project):
    client.force_login(observatory)
    item = project.checklist.first()
    response = client.post(
        reverse("projects:checklist", args=[project.pk]), {"action": "tick", "item": item.pk}
    )
    assert response.status_code == 403
    assert not ChecklistItem.objects.filter(done_on__isnull=False).exists()


# Partners ------------------------------------------------------------------------------------


def test_partners_are_found_added_and_removed(client, editor, project):
    tulle = make_organization("Ville de Tulle", kind_slug="commune")
    client.force_login(editor)
    url = reverse("projects:partners", args=[project.pk])
    response = client.get(url, {"q": "tulle"})
    assert "Ville de Tulle" in response.text
    response = client.post(url, {"action": "add", "organization": tulle.pk, "role": "funder"})
    assert response.status_code == 302
    partner = project.partners.get(organization=tulle)
    assert partner.iati_role == "1"
    response = client.post(
        url, {"action": "add", "organization": tulle.pk, "role": "lead"}, follow=True
    )
    assert "a déjà un chef de file" in response.text
    response = client.post(url, {"action": "remove", "partner": partner.pk}, follow=True)
    assert not project.partners.filter(organization=tulle).exists()


def test_removing_a_partner_with_transactions_explains_and_keeps_it(client, staff, project):
    from observatoire.finance.models import Transaction

    lead = project.partners.get()
    Transaction.objects.create(
        project=project,
        kind="4",
        date=datetime.date(2026, 2, 1),
        amount=Decimal("50"),
        partner=lead,
    )
    client.force_login(staff)
    response = client.post(
        reverse("projects:partners", args=[project.pk]),
        {"action": "remove", "partner": lead.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "ne peut pas être retiré" in response.text
    assert ProjectPartner.objects.filter(pk=lead.pk).exists()


def test_a_partner_abroad_is_created_without_referencing(client, staff, project):
    client.force_login(staff)
    from observatoire.referentials.models import OrganizationKind

    response = client.post(
        reverse("projects:partners", args=[project.pk]),
        {
            "action": "foreign",
            "foreign-name": "Commune de Dédougou",
            "foreign-kind": OrganizationKind.objects.get(slug="commune").pk,
            "foreign-seat_country": Country.objects.get(iso2="BF").pk,
            "foreign-seat_locality": "Dédougou",
            "foreign-latitude": "12.46",
            "foreign-longitude": "-3.46",
            "foreign-role": "partner",
        },
    )
    assert response.status_code == 302
    partner = project.partners.get(role="partner")
    assert partner.organization.seat_country.iso2 == "BF"
    assert partner.organization.legal_form == "foreign"


def test_a_partner_abroad_needs_both_coordinates(client, staff, project):
    client.force_login(staff)
    response = client.post(
        reverse("projects:partners", args=[project.pk]),
        {"action": "foreign", "foreign-name": "X", "foreign-latitude": "12"},
    )
    assert response.status_code == 200
    assert "la latitude et la longitude" in response.text
    assert 'value="X"' in response.text


# Stakeholders, governance, results ------------------------------------------------------------


def test_stakeholders_are_mapped_in_an_accessible_matrix(client, staff, project, organization):
    client.force_login(staff)
    url = reverse("projects:stakeholders", args=[project.pk])
    response = client.post(
        url,
        {
            "action": "add",
            "organization": organization.pk,
            "role": "Porteur",
            "influence": "5",
            "interest": "4",
            "stance": "driving",
            "note": "",
        },
    )
    assert response.status_code == 302
    response = client.get(url)
    assert '<svg class="matrix" role="img"' in response.text
    assert "stance-driving" in response.text and "Moteur" in response.text
    response = client.post(url, {"action": "add", "influence": "9", "interest": "1"})
    assert response.status_code == 200 and Stakeholder.objects.count() == 1


def test_a_body_gets_members_meetings_and_decisions(client, staff, project, organization):
    client.force_login(staff)
    url = reverse("projects:governance", args=[project.pk])
    client.post(
        url,
        {
            "action": "add_body",
            "body-kind": "steering",
            "body-name": "Comité de pilotage",
            "body-remit": "",
        },
    )
    body = GovernanceBody.objects.get()
    response = client.post(
        url,
        {
            "action": "create_meeting",
            "body_id": body.pk,
            f"meeting{body.pk}-title": "COPIL n°1",
            f"meeting{body.pk}-starts_at": "2026-03-02T10:00",
            f"meeting{body.pk}-ends_at": "2026-03-02T09:00",
            f"meeting{body.pk}-venue": "",
        },
    )
    assert response.status_code == 200 and "après son début" in response.text
    response = client.post(
        url,
        {
            "action": "create_meeting",
            "body_id": body.pk,
            f"meeting{body.pk}-title": "COPIL n°1",
            f"meeting{body.pk}-starts_at": "2026-03-02T10:00",
            f"meeting{body.pk}-ends_at": "2026-03-02T12:00",
            f"meeting{body.pk}-venue": "Dédougou",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.kind == "meeting" and event.sittings.count() == 1
    assert list(body.meetings.all()) == [event]
    response = client.post(
        url,
        {
            "action": "add_decision",
            "decision-date": "2026-03-02",
            "decision-body": body.pk,
            "decision-meeting": event.pk,
            "decision-text": "Lancer l'étude",
            "decision-follow_up": "",
        },
    )
    assert response.status_code == 302
    assert "Lancer l&#x27;étude" in client.get(url).text
    client.post(url, {"action": "delete_body", "body_id": body.pk})
    assert not project.bodies.exists() and Event.objects.exists()


def test_results_refuse_a_period_ending_before_it_starts(client, staff, project):
    client.force_login(staff)
    url = reverse("projects:results", args=[project.pk])
    client.post(
        url,
        {"action": "objective", "objective-level": "specific", "objective-title": "Accès à l'eau"},
    )
    objective = project.objectives.get()
    client.post(
        url, {"action": "result", "result-objective": objective.pk, "result-title": "Bornes"}
    )
    result = objective.results.get()
    client.post(
        url,
        {
            "action": "indicator",
            "indicator-result": result.pk,
            "indicator-name": "Bornes en service",
            "indicator-baseline": "0",
            "indicator-target": "20",
        },
    )
    indicator = result.indicators.get()
    values = {
        "action": "value",
        "value-indicator": indicator.pk,
        "value-period_start": "2026-07-01",
        "value-period_end": "2026-06-30",
        "value-value": "8",
        "value-comment": "",
    }
    response = client.post(url, values)
    assert (
        response.status_code == 200 and "La période se termine avant de commencer." in response.text
    )
    values["value-period_end"] = "2026-12-31"
    assert client.post(url, values).status_code == 302
    response = client.post(url, values)
    assert "déjà une valeur" in response.text, response.text[-6000:]
    assert indicator.values.count() == 1
    value = indicator.values.get()
    client.post(url, {"action": "delete_value", "pk": value.pk})
    assert not indicator.values.exists()
    client.post(url, {"action": "delete_objective", "pk": objective.pk})
    assert not project.objectives.exists()
    assert client.post(url, {"action": "delete_result", "pk": "x"}).status_code == 404


# Documents and news --------------------------------------------------------------------------


def test_documents_are_downloaded_through_an_access_check(
    client, editor, outsider_editor, project, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    url = reverse("projects:documents", args=[project.pk])
    response = client.post(
        url,
        {
            "action": "upload",
            "title": "Convention",
            "category": "agreement",
            "file": SimpleUploadedFile("convention.pdf", b"%PDF-1.4 test", "application/pdf"),
        },
    )
    assert response.status_code == 302
    document = ProjectDocument.objects.get()
    download = reverse("projects:document", args=[project.pk, document.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    client.force_login(outsider_editor)
    assert client.get(download).status_code == 403


def test_news_with_a_photo(client, staff, project, settings, tmp_path):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    client.force_login(staff)
    response = client.post(
        reverse("projects:news", args=[project.pk]),
        {
            "action": "add",
            "date": "2026-04-01",
            "title": "Premières bornes",
            "text": "Posées.",
            "is_public": "on",
            "photo": SimpleUploadedFile("borne.png", buffer.getvalue(), "image/png"),
            "caption": "Une borne",
            "credit": "Mairie",
        },
    )
    assert response.status_code == 302
    update = project.updates.get()
    photo = update.photos.get()
    response = client.get(reverse("projects:news", args=[project.pk]))
    assert "Premières bornes" in response.text and "Une borne" in response.text
    assert client.get(reverse("projects:photo", args=[project.pk, photo.pk])).status_code == 200


# Back office ---------------------------------------------------------------------------------


def test_the_organisation_record_lists_its_projects(client, staff, project, organization):
    client.force_login(staff)
    response = client.get(
        reverse("admin:organizations_organization_change", args=[organization.pk])
    )
    assert response.status_code == 200
    assert "Eau potable à Dédougou" in response.text and "Chef de file" in response.text


def test_the_back_office_lists_projects_and_edits_the_checklist_template(client, staff, project):
    client.force_login(staff)
    assert (
        client.get(reverse("admin:projects_project_changelist"), {"q": "dédougou"}).status_code
        == 200
    )
    assert (
        client.get(reverse("admin:projects_project_change", args=[project.pk])).status_code == 200
    )
    response = client.get(reverse("admin:projects_checklisttemplateitem_changelist"))
    assert response.status_code == 200 and "Convention de partenariat" in response.text


ACTIONS = [
    "remove", "tick", "add", "delete", "phase", "foreign", "add_member", "link_meeting",
    "create_meeting", "add_decision", "value", "objective",
]  # fmt: skip


def test_nothing_a_user_sends_gives_a_server_error(client, staff, project):
    client.force_login(staff)
    garbage = {
        "action": "remove", "partner": "abc", "item": "x", "stakeholder": "'", "body_id": "z",
        "member": "y", "document": "-1", "update": "1e3", "organization": "x", "role": "boss",
        "phase": "nowhere", "event": "x",
    }  # fmt: skip
    for tab in TABS[1:]:
        url = reverse(f"projects:{tab}", args=[project.pk])
        for action in ACTIONS:
            response = client.post(url, {**garbage, "action": action})
            assert response.status_code in (200, 302, 404), (tab, action)
    response = client.get(reverse("projects:list"), {"page": "x", "theme": "'", "country": "9999"})
    assert response.status_code == 200
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        project_form_data(project, themes=["x"], propose_dac="1", currency="€€"),
    )
    assert response.status_code == 200
