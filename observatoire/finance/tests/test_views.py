"""The finance tabs with each persona: who reads, who acts, and what a refused form keeps."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_user
from observatoire.finance import services
from observatoire.finance.models import BudgetLine, FunderKind, Reallocation, Report, Transaction

from .factories import add_partner, lead_of, make_budget, make_ministry, make_project

D = Decimal
pytestmark = pytest.mark.django_db
TABS = ["budget", "funding", "transactions", "applications", "reports"]


@pytest.fixture
def project():
    project = make_project()
    lines = make_budget(project)
    ministry = make_ministry()
    add_partner(project, ministry.name, role="funder")
    services.funding_save(
        project=project,
        funder=ministry,
        funder_kind=FunderKind.MINISTRY,
        requested=D("50000"),
        granted=D("50000"),
        max_share=D("50"),
    )
    for day in range(1, 6):
        services.transaction_record(
            project=project,
            kind=Transaction.Kind.EXPENDITURE,
            date=datetime.date(2024, 3, day),
            amount=D("100"),
            budget_line=lines["Missions"],
            partner=lead_of(project),
        )
    return project


@pytest.fixture
def lead_editor(project):
    return make_user(
        Role.ORGANIZATION_EDITOR,
        email="lead@personas.test",
        organization=lead_of(project).organization,
    )


@pytest.fixture
def partner_editor(project):
    partner = add_partner(project, "Ville de Pessac")
    return make_user(
        Role.ORGANIZATION_EDITOR, email="partner@personas.test", organization=partner.organization
    )


def url(name, project, *args):
    return reverse(f"finance:{name}", args=[project.pk, *args])


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_is_read_by_staff_observatory_and_partners(
    client,
    project,
    staff,
    observatory,
    lead_editor,
    partner_editor,
    outsider_editor,
    tab,
    django_assert_max_num_queries,
):
    for user in (staff, observatory, lead_editor, partner_editor):
        client.force_login(user)
        with django_assert_max_num_queries(35 if tab == "budget" else 25):
            response = client.get(url(tab, project))
        assert response.status_code == 200, (user, tab)
    client.force_login(outsider_editor)
    assert client.get(url(tab, project)).status_code == 403
    client.logout()
    assert client.get(url(tab, project)).status_code == 302


def test_the_forms_show_to_editors_only(client, project, lead_editor, partner_editor):
    client.force_login(lead_editor)
    assert 'value="line"' in client.get(url("budget", project)).content.decode()
    client.force_login(partner_editor)
    assert 'value="line"' not in client.get(url("budget", project)).content.decode()


def test_a_partner_editor_cannot_act_unless_partners_may_edit(client, project, partner_editor):
    client.force_login(partner_editor)
    data = {
        "action": "line",
        "line-category": "works",
        "line-label": "Puits",
        "line-amount": "1000",
        "line-currency": "EUR",
    }
    assert client.post(url("budget", project), data).status_code == 403
    project.partners_may_edit = True
    project.save()
    assert client.post(url("budget", project), data).status_code == 302
    assert project.budget_lines.filter(label="Puits").exists()


def test_the_transactions_list_keeps_its_query_count(
    client, project, staff, django_assert_max_num_queries
):
    for day in range(6, 30):
        services.transaction_record(
            project=project,
            kind=Transaction.Kind.EXPENDITURE,
            date=datetime.date(2024, 4, day),
            amount=D("10"),
            budget_line=project.budget_lines.first(),
            partner=lead_of(project),
        )
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        response = client.get(url("transactions", project))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= 29


def test_a_currency_without_rate_comes_back_with_what_was_typed(client, project, lead_editor):
    client.force_login(lead_editor)
    response = client.post(
        url("budget", project),
        {
            "action": "line",
            "line-category": "works",
            "line-label": "Forage de Dédougou",
            "line-amount": "1 500 000",
            "line-currency": "XOF",
            "line-year": "2025",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Forage de Dédougou" in page
    assert "taux" in page
    assert not project.budget_lines.filter(label="Forage de Dédougou").exists()


def test_a_reallocation_with_several_moves_through_the_form(client, project, lead_editor):
    lines = {line.label: line for line in project.budget_lines.all()}
    funder = project.fundings.get().funder
    client.force_login(lead_editor)
    data = {
        "action": "reallocation",
        "reallocation-date": "2024-07-01",
        "reallocation-reason": "Hausse des billets",
        "reallocation-approved_by": funder.pk,
        "reallocation-approved_on": "2024-07-10",
        "moves-TOTAL_FORMS": "3",
        "moves-INITIAL_FORMS": "0",
        "moves-MIN_NUM_FORMS": "1",
        "moves-MAX_NUM_FORMS": "1000",
        "moves-0-from_line": lines["Bacs de collecte"].pk,
        "moves-0-to_line": lines["Missions"].pk,
        "moves-0-amount": "2500",
        "moves-1-from_line": lines["Coordination"].pk,
        "moves-1-to_line": lines["Missions"].pk,
        "moves-1-amount": "1200,50",
    }
    response = client.post(url("budget", project), data, follow=True)
    assert response.status_code == 200
    reallocation = Reallocation.objects.get()
    assert reallocation.moves.count() == 2
    assert services.budget_total(project) == D("100000.00")
    # Moving more than the line holds is refused with the line named; the form keeps its input.
    data["moves-0-amount"] = "999999"
    response = client.post(url("budget", project), data)
    assert response.status_code == 200
    assert "Bacs de collecte" in response.content.decode()
    assert "999999" in response.content.decode() or "999 999" in response.content.decode()
    assert Reallocation.objects.count() == 1


def test_an_extension_ending_before_the_current_end_is_refused(client, project, lead_editor):
    client.force_login(lead_editor)
    response = client.post(
        url("budget", project),
        {
            "action": "extension",
            "extension-requested_on": "2025-09-01",
            "extension-new_end": "2025-01-31",
            "extension-reason": "Pluies",
        },
    )
    assert response.status_code == 200
    assert "Pluies" in response.content.decode()
    project.refresh_from_db()
    assert project.planned_end == datetime.date(2025, 12, 31)


def test_recording_spending_beyond_a_line_warns(client, project, lead_editor):
    client.force_login(lead_editor)
    line = project.budget_lines.get(label="Missions")
    response = client.post(
        url("transactions", project),
        {
            "action": "record",
            "record-kind": "4",
            "record-date": "2024-05-02",
            "record-amount": "25000",
            "record-currency": "EUR",
            "record-budget_line": line.pk,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Missions" in str(list(response.context["messages"])[-1])


def test_an_application_granted_enters_the_funding_plan(client, project, lead_editor):
    region = add_partner(project, "Région Nouvelle-Aquitaine", role="funder", kind_slug="region")
    client.force_login(lead_editor)
    client.post(
        url("applications", project),
        {
            "action": "application",
            "application-funder": region.organization.pk,
            "application-funder_kind": "region",
            "application-amount_requested": "20000",
        },
    )
    application = project.funding_applications.get()
    for status, extra in (("submitted", {}), ("granted", {"amount_granted": "15000"})):
        data = {
            "action": "status",
            "target": application.pk,
            f"status-{application.pk}-status": status,
            f"status-{application.pk}-on": "2024-02-01",
        }
        data.update({f"status-{application.pk}-{k}": v for k, v in extra.items()})
        assert client.post(url("applications", project), data).status_code == 302
    funding = project.fundings.get(funder=region.organization)
    assert funding.granted == D("15000.00") and funding.application == application
    # A refused change comes back with a French reason.
    data[f"status-{application.pk}-status"] = "submitted"
    response = client.post(url("applications", project), data)
    assert response.status_code == 400
    assert "ne peut pas" in response.content.decode()


def test_staff_create_produce_close_and_download_a_report(client, project, staff, observatory):
    client.force_login(staff)
    response = client.post(
        url("reports", project),
        {
            "action": "report",
            "title": "Rapport intermédiaire",
            "period_start": "2024-01-01",
            "period_end": "2024-06-30",
            "activities": "Ateliers",
        },
    )
    report = project.reports.get()
    assert response.status_code == 302
    client.post(url("report", project, report.pk), {"action": "produce"})
    client.post(url("report", project, report.pk), {"action": "close"})
    report.refresh_from_db()
    assert report.status == "closed" and report.versions.count() == 1
    client.force_login(observatory)
    for kind in ("pdf", "xlsx"):
        response = client.get(url("report_download", project, report.pk, 1, kind))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:4] in (b"%PDF", b"PK\x03\x04")
    # A report overlapping the closed one is refused, in French, with the input kept.
    client.force_login(staff)
    response = client.post(
        url("reports", project),
        {
            "action": "report",
            "title": "Rapport bis",
            "period_start": "2024-06-01",
            "period_end": "2024-12-31",
        },
    )
    assert response.status_code == 200
    assert "Rapport bis" in response.content.decode()
    assert "déjà clos" in response.content.decode()


def test_downloads_are_refused_to_outsiders(client, project, staff, outsider_editor):
    report = services.report_save(
        report=Report(
            project=project,
            title="R",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 6, 30),
        )
    )
    services.report_produce(report, staff)
    client.force_login(outsider_editor)
    assert client.get(url("report_download", project, report.pk, 1, "pdf")).status_code == 403


def test_the_tabs_are_registered_in_order(project):
    from observatoire.projects.tabs import project_tabs

    slugs = [tab["slug"] for tab in project_tabs(project)]
    assert [slug for slug in slugs if slug in TABS] == TABS


def test_budget_lines_category_choices_exist():
    assert BudgetLine.Category.STAFF in dict(BudgetLine.Category.choices)


def test_unrelated_organisation_has_no_access(client, project):
    stranger = make_user(
        Role.ORGANIZATION_EDITOR, email="x@personas.test", organization=make_organization("Autre")
    )
    client.force_login(stranger)
    assert client.get(url("budget", project)).status_code == 403


def test_a_share_over_100_percent_is_refused_with_the_input_kept(client, project, lead_editor):
    client.force_login(lead_editor)
    funder = project.fundings.get().funder
    response = client.post(
        url("funding", project),
        {
            "action": "funding",
            "funder": funder.pk,
            "funder_kind": "ministry",
            "requested": "50000",
            "granted": "48000",
            "max_share": "120",
        },
    )
    assert response.status_code == 200
    assert 'value="120"' in response.content.decode()
    assert project.fundings.get().max_share == Decimal("50.00")


def test_a_partner_with_transactions_cannot_be_deleted(project):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        lead_of(project).delete()


@pytest.mark.parametrize(
    "model",
    ["budgetversion", "budgetline", "reallocation", "extension", "fundingapplication",
     "funding", "transaction", "reportingobligation", "report"],
)  # fmt: skip
def test_the_back_office_lists_the_finance_records(
    client, project, staff, observatory, editor, model, django_assert_max_num_queries
):
    changelist = reverse(f"admin:finance_{model}_changelist")
    client.force_login(observatory)
    with django_assert_max_num_queries(20):
        assert client.get(changelist).status_code == 200
    client.force_login(staff)
    assert client.get(changelist).status_code == 200
    client.force_login(editor)
    assert client.get(changelist).status_code in (302, 403)


def test_a_closed_report_refuses_changes_with_a_message(client, project, staff):
    report = services.report_save(
        report=Report(
            project=project,
            title="Clos",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 6, 30),
        )
    )
    services.report_close(report, staff)
    client.force_login(staff)
    response = client.post(
        url("report", project, report.pk),
        {"action": "edit", "title": "Changé", "period_start": "2024-01-01",
         "period_end": "2024-06-30"},
        follow=True,
    )  # fmt: skip
    assert "clos" in str(list(response.context["messages"])[-1])
    report.refresh_from_db()
    assert report.title == "Clos"
    response = client.post(url("report", project, report.pk), {"action": "produce"}, follow=True)
    assert "définitive" in str(list(response.context["messages"])[-1])
    assert report.versions.count() == 1
