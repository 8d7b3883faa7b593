"""The work view at /espace/: who sees what, each block's content, and a bounded query count."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_user
from observatoire.finance.models import (
    FunderKind,
    Funding,
    FundingApplication,
    ReportingObligation,
    Transaction,
)
from observatoire.partnerships.models import Mission, Partnership
from observatoire.projects.models import (
    ChecklistItem,
    ExpectedResult,
    Indicator,
    IndicatorValue,
    Objective,
    Phase,
    Project,
    ProjectPartner,
)
from observatoire.workspace import selectors

URL = reverse("workspace:home")
TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def _project(title: str, lead, *, phase=Phase.IMPLEMENTATION, **fields) -> Project:
    project = Project.objects.create(
        title=title, slug=title.lower().replace(" ", "-"), phase=phase, **fields
    )
    ProjectPartner.objects.create(project=project, organization=lead, role=ProjectPartner.Role.LEAD)
    return project


class World:
    """Two French cities, each with its partner abroad, a partnership and projects."""

    def __init__(self):
        self.chatellerault = make_organization("Ville de Châtellerault", kind_slug="commune")
        self.oujda = make_organization("Commune urbaine d'Oujda", kind_slug="commune")
        self.niort = make_organization("Ville de Niort", kind_slug="commune")
        self.atakpame = make_organization("Commune d'Atakpamé", kind_slug="commune")
        self.ministry = make_organization(
            "Ministère de l'Europe et des Affaires étrangères (DAECT)", kind_slug="public-agency"
        )
        self.officer = make_user(
            Role.ORGANIZATION_EDITOR,
            email="international@personas.test",
            organization=self.chatellerault,
        )
        self.other_officer = make_user(
            Role.ORGANIZATION_EDITOR, email="niort@personas.test", organization=self.niort
        )
        self.staff = make_user(Role.STAFF)
        self.oujda_partnership = Partnership.objects.create(
            french_authority=self.chatellerault, foreign_authority=self.oujda, since_year=2005
        )
        self.atakpame_partnership = Partnership.objects.create(
            french_authority=self.niort,
            foreign_authority=self.atakpame,
            since_year=1984,
            officer=self.staff,
        )
        self.youth = _project(
            "Jeunesse Oujda", self.chatellerault, partnership=self.oujda_partnership
        )
        self.archives = _project("Archives Oujda", self.chatellerault, phase=Phase.EMERGENCE)
        self.health = _project("Santé Atakpamé", self.niort, partnership=self.atakpame_partnership)
        # Châtellerault is a partner, not the lead, of a Niort project: it still follows it.
        self.water = _project("Eau Atakpamé", self.niort, coordinator=self.staff)
        ProjectPartner.objects.create(
            project=self.water, organization=self.chatellerault, role=ProjectPartner.Role.PARTNER
        )


@pytest.fixture
def world(db):
    return World()


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_officer_sees_their_authority_s_partnerships_and_projects_only(client, world):
    client.force_login(world.officer)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Commune urbaine d&#x27;Oujda" in content
    assert "Jeunesse Oujda" in content and "Archives Oujda" in content
    assert "Eau Atakpamé" in content
    assert "Santé Atakpamé" not in content
    assert "Ville de Niort – Commune d" not in content
    # An editor sees one organisation's work: no "what I follow" switch.
    assert "?scope=mine" not in content


def test_staff_see_everything_and_may_narrow_it_to_what_they_follow(client, world):
    client.force_login(world.staff)
    everything = client.get(URL).context["workspace"]
    assert {p.title for p in everything.projects} == {
        "Jeunesse Oujda",
        "Archives Oujda",
        "Santé Atakpamé",
        "Eau Atakpamé",
    }
    assert len(everything.partnerships) == 2
    mine = client.get(URL, {"scope": "mine"}).context["workspace"]
    assert mine.mine
    # Coordinated (Eau) or within the partnership they follow (Santé).
    assert {p.title for p in mine.projects} == {"Santé Atakpamé", "Eau Atakpamé"}
    assert [str(p) for p in mine.partnerships] == ["Ville de Niort – Commune d'Atakpamé"]


def test_an_editor_cannot_widen_their_view_with_the_filter(world):
    workspace = selectors.workspace_for(user=world.officer, mine=True)
    assert not workspace.mine
    assert len(workspace.projects) == 3


def test_a_user_without_an_organisation_sees_empty_blocks(client, db):
    client.force_login(make_user(Role.ORGANIZATION_EDITOR))
    response = client.get(URL)
    assert response.status_code == 200
    assert "Aucun projet à suivre." in response.content.decode()


def test_projects_show_their_phase_and_lead_current_phases_first(world):
    projects = selectors.workspace_project_list(user=world.officer)
    assert [p.title for p in projects] == ["Archives Oujda", "Eau Atakpamé", "Jeunesse Oujda"]
    assert [lead.organization for lead in projects[1].leads] == [world.niort]


def test_missions_of_the_next_90_days_from_partnerships_and_projects(world):
    def mission(title, start, **fields):
        return Mission.objects.create(
            title=title,
            direction=Mission.Direction.OUTGOING,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=6),
            **fields,
        )

    mission("Délégation à Oujda", days(20), partnership=world.oujda_partnership)
    mission("Chantier d'eau", days(45), project=world.water)
    mission("Trop tard", days(120), partnership=world.oujda_partnership)
    mission("Passée", days(-10), partnership=world.oujda_partnership)
    mission(
        "Annulée",
        days(10),
        partnership=world.oujda_partnership,
        status=Mission.Status.CANCELLED,
    )
    mission("Mission de Niort", days(5), partnership=world.atakpame_partnership)
    titles = [m.title for m in selectors.upcoming_missions(user=world.officer)]
    assert titles == ["Délégation à Oujda", "Chantier d'eau"]


def _application(project, funder, status=FundingApplication.Status.GRANTED, **fields):
    return FundingApplication.objects.create(
        project=project,
        funder=funder,
        funder_kind=FunderKind.MINISTRY,
        status=status,
        amount_requested=fields.pop("amount_requested", Decimal("50000")),
        **fields,
    )


def test_reports_due_by_date_with_the_overdue_highlighted(client, world):
    application = _application(world.youth, world.ministry)
    ReportingObligation.objects.create(
        application=application, kind="narrative", title="Rapport intermédiaire", due_on=days(-5)
    )
    ReportingObligation.objects.create(
        application=application, kind="financial", title="Rapport final", due_on=days(60)
    )
    ReportingObligation.objects.create(
        application=application,
        kind="both",
        title="Rapport déjà envoyé",
        due_on=days(-90),
        status=ReportingObligation.Status.SENT,
    )
    ReportingObligation.objects.create(
        application=_application(world.health, world.ministry),
        kind="both",
        title="Rapport de Niort",
        due_on=days(3),
    )
    client.force_login(world.officer)
    response = client.get(URL)
    workspace = response.context["workspace"]
    assert [o.title for o in workspace.reports] == ["Rapport intermédiaire", "Rapport final"]
    assert [o.title for o in workspace.overdue_reports] == ["Rapport intermédiaire"]
    assert "<strong>En retard</strong>" in response.content.decode()


def test_payments_due_are_granted_minus_incoming_funds_per_funder_and_project(world):
    region = make_organization("Région Nouvelle-Aquitaine", kind_slug="region")
    Funding.objects.create(
        project=world.youth,
        funder=world.ministry,
        funder_kind=FunderKind.MINISTRY,
        requested=Decimal("60000"),
        granted=Decimal("50000"),
    )
    Funding.objects.create(
        project=world.youth,
        funder=region,
        funder_kind=FunderKind.REGION,
        requested=Decimal("10000"),
        granted=Decimal("10000"),
    )
    Funding.objects.create(  # requested, not granted yet: nothing awaited
        project=world.archives,
        funder=world.ministry,
        funder_kind=FunderKind.MINISTRY,
        requested=Decimal("20000"),
    )
    incoming = Transaction.Kind.INCOMING_FUNDS
    for amount in ("20000", "5000.50"):
        Transaction.objects.create(
            project=world.youth,
            kind=incoming,
            date=TODAY,
            amount=Decimal(amount),
            funder=world.ministry,
        )
    # The region paid it all; a disbursement from the project does not count as received.
    Transaction.objects.create(
        project=world.youth, kind=incoming, date=TODAY, amount=Decimal("10000"), funder=region
    )
    Transaction.objects.create(
        project=world.youth,
        kind=Transaction.Kind.DISBURSEMENT,
        date=TODAY,
        amount=Decimal("3000"),
        funder=world.ministry,
    )
    payments = list(selectors.payments_due(user=world.officer))
    assert [(p.funder, p.received, p.due) for p in payments] == [
        (world.ministry, Decimal("25000.50"), Decimal("24999.50"))
    ]


def test_the_funding_pipeline_counts_applications_by_status(world):
    _application(world.youth, world.ministry, amount_granted=Decimal("40000"))
    _application(
        world.archives,
        world.ministry,
        status=FundingApplication.Status.DRAFT,
        amount_requested=Decimal("12000"),
        deadline=days(30),
    )
    _application(
        world.water,
        world.ministry,
        status=FundingApplication.Status.SUBMITTED,
        amount_requested=Decimal("8000"),
        deadline=days(-10),
    )
    _application(world.health, world.ministry, status=FundingApplication.Status.DRAFT)
    stages = {s.status: s for s in selectors.funding_pipeline(user=world.officer)}
    assert stages["granted"].count == 1 and stages["granted"].granted == Decimal("40000")
    assert stages["draft"].count == 1 and stages["draft"].requested == Decimal("12000")
    assert stages["submitted"].count == 1 and stages["refused"].count == 0
    applications = selectors.open_applications(user=world.officer)
    assert [a.project for a in applications] == [world.water, world.archives]


def test_activities_late_checklist_entries_and_silent_indicators(client, world):
    ChecklistItem.objects.create(
        project=world.youth, phase=Phase.IMPLEMENTATION, title="Rapports", due_on=days(-3)
    )
    ChecklistItem.objects.create(
        project=world.youth,
        phase=Phase.IMPLEMENTATION,
        title="Coordination",
        due_on=days(-30),
        done_on=days(-31),
    )
    ChecklistItem.objects.create(
        project=world.youth, phase=Phase.IMPLEMENTATION, title="Évaluation", due_on=days(10)
    )
    ChecklistItem.objects.create(
        project=world.health, phase=Phase.IMPLEMENTATION, title="Chez Niort", due_on=days(-3)
    )
    result = ExpectedResult.objects.create(
        objective=Objective.objects.create(
            project=world.youth, level=Objective.Level.SPECIFIC, title="Mobilité"
        ),
        title="Des jeunes partent",
    )
    never = Indicator.objects.create(result=result, name="Jeunes partis")
    stale = Indicator.objects.create(result=result, name="Familles d'accueil")
    fresh = Indicator.objects.create(result=result, name="Ateliers tenus")
    IndicatorValue.objects.create(
        indicator=stale, period_start=days(-800), period_end=days(-400), value=3
    )
    IndicatorValue.objects.create(
        indicator=fresh, period_start=days(-200), period_end=days(-20), value=7
    )
    assert fresh
    client.force_login(world.officer)
    response = client.get(URL)
    workspace = response.context["workspace"]
    assert [item.title for item in workspace.late_items] == ["Rapports"]
    assert [indicator.name for indicator in workspace.silent_indicators] == [
        never.name,
        stale.name,
    ]
    assert workspace.late_count == 3
    assert "jamais mesuré" in response.content.decode()


def test_the_work_view_runs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for project in (world.youth, world.archives, world.water, world.health):
        application = _application(project, world.ministry, amount_granted=Decimal("1000"))
        ReportingObligation.objects.create(
            application=application, kind="both", title="Rapport", due_on=days(-1)
        )
        Funding.objects.create(
            project=project,
            funder=world.ministry,
            funder_kind=FunderKind.MINISTRY,
            requested=Decimal("1000"),
            granted=Decimal("1000"),
        )
        ChecklistItem.objects.create(
            project=project, phase=Phase.IMPLEMENTATION, title="Rapports", due_on=days(-3)
        )
        Mission.objects.create(
            title="Mission",
            direction=Mission.Direction.INCOMING,
            starts_on=days(9),
            ends_on=days(12),
            project=project,
            partnership=project.partnership,
        )
    client.force_login(world.staff)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["workspace"].projects) == 4
    assert len(response.context["workspace"].reports) == 4


def test_the_header_links_to_the_workspace_for_logged_in_users(client, world):
    assert URL not in client.get(reverse("groups:list")).content.decode()
    client.force_login(world.officer)
    assert f'href="{URL}"' in client.get(reverse("groups:list")).content.decode()


def test_the_observatory_reads_everything(client, world):
    client.force_login(make_user(Role.OBSERVATORY))
    workspace = client.get(URL).context["workspace"]
    assert len(workspace.projects) == 4 and len(workspace.partnerships) == 2
    assert workspace.can_filter_mine


def test_an_editor_of_another_authority_sees_none_of_chatellerault_s_work(client, world):
    client.force_login(world.other_officer)
    content = client.get(URL).content.decode()
    assert "Santé Atakpamé" in content and "Eau Atakpamé" in content
    assert "Jeunesse Oujda" not in content and "Archives Oujda" not in content
    assert "Oujda" not in content
