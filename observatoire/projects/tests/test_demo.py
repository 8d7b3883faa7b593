"""The demo projects: about forty in every phase, the pooled waste-management project, and the
projects of the city whose international officer has a demo login."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, Sum
from django.utils import timezone

from observatoire.organizations.testing import DemoNetworkTestCase
from observatoire.projects import demo
from observatoire.projects.models import (
    ChecklistItem,
    GovernanceBody,
    IndicatorValue,
    Phase,
    Project,
    ProjectPartner,
    ProjectPlace,
)
from observatoire.workspace.selectors import workspace_for


class DemoProjectsTests(DemoNetworkTestCase):
    """One load of the whole demo network for the class: it takes seconds."""

    @classmethod
    def setUpTestData(cls):
        cls.today = timezone.localdate()
        cls.pooled = Project.objects.get(slug=demo.POOLED_SLUG)

    def test_about_forty_projects_in_every_phase(self):
        # The projects of this demo; the calls' demo adds those of its laureates.
        projects = Project.objects.filter(grant__isnull=True)
        assert 36 <= projects.count() <= 44
        phases = dict(projects.values_list("phase").annotate(n=Count("pk")))
        assert set(phases) == set(Phase.values)
        assert phases[Phase.IMPLEMENTATION] >= 10

    def test_every_project_has_one_lead_themes_sdgs_sectors_and_places(self):
        for project in Project.objects.filter(grant__isnull=True).prefetch_related(
            "partners", "themes", "sdgs", "dac_sectors", "places", "countries"
        ):
            leads = [p for p in project.partners.all() if p.role == ProjectPartner.Role.LEAD]
            assert len(leads) == 1, project
            assert project.themes.all() and project.sdgs.all(), project
            assert project.dac_sectors.all(), project
            assert project.countries.all() and project.places.all(), project
            assert all(p.latitude is not None for p in project.places.all())

    def test_budget_shares_never_exceed_the_whole(self):
        for row in ProjectPlace.objects.values("project").annotate(total=Sum("budget_share")):
            assert row["total"] is None or row["total"] <= Decimal("100")
        assert (
            ProjectPlace.objects.filter(project=self.pooled).aggregate(t=Sum("budget_share"))["t"]
            == 100
        )

    def test_dates_are_consistent_with_the_phase(self):
        for project in Project.objects.all():
            project.full_clean()
            if project.phase in (Phase.EMERGENCE, Phase.CONSTRUCTION):
                assert project.actual_start is None and project.planned_start > self.today
            if project.phase == Phase.IMPLEMENTATION:
                assert project.actual_start <= self.today < project.planned_end
            if project.phase == Phase.COMPLETED:
                assert project.actual_end <= self.today
        for value in IndicatorValue.objects.all():
            assert value.period_start <= value.period_end <= self.today

    def test_the_pooled_project_joins_five_french_authorities_and_four_cities_abroad(self):
        pooled = self.pooled
        assert pooled.phase == Phase.IMPLEMENTATION and pooled.partners_may_edit
        months = (self.today - pooled.actual_start).days / 30
        assert 19 <= months <= 21
        partners = pooled.partners.select_related("organization")
        lead = [p.organization.name for p in partners if p.role == ProjectPartner.Role.LEAD]
        assert lead == ["Bordeaux Métropole"]
        doers = [p.organization for p in partners if p.role != ProjectPartner.Role.FUNDER]
        french = {o.name for o in doers if o.seat_country_id is None}
        abroad = {o.name for o in doers if o.seat_country_id is not None}
        assert french == set(demo.POOLED_FRENCH)
        assert abroad == {
            "Commune de Dédougou",
            "Commune d'Atakpamé",
            "Commune de Kaya",
            "Commune de Fatick",
        }
        funders = [p.organization for p in partners if p.role == ProjectPartner.Role.FUNDER]
        assert [o.name for o in funders] == [demo.MINISTRY]
        # Like every organisation of the demo register, the ministry is on the map.
        assert funders[0].latitude is not None and funders[0].search_text
        fatick = next(o for o in doers if o.name == "Commune de Fatick")
        assert fatick.seat_country.iso2 == "SN" and fatick.legal_form == "foreign"

    def test_the_pooled_project_has_its_steering_committee_and_decisions(self):
        steering = self.pooled.bodies.get(kind=GovernanceBody.Kind.STEERING)
        represented = set(steering.members.values_list("organization__name", flat=True))
        assert len(represented) == 10 and demo.MINISTRY in represented
        assert steering.members.get(organization__name=demo.MINISTRY).role == "Observateur"
        assert steering.meetings.count() >= 3
        assert self.pooled.decisions.filter(text__contains="réaffectation").exists()
        assert self.pooled.objectives.exists()

    def test_checklists_follow_the_phase(self):
        completed = ChecklistItem.objects.filter(project__phase=Phase.COMPLETED)
        assert completed.exists() and not completed.filter(done_on=None).exists()
        assert not ChecklistItem.objects.filter(
            project__phase=Phase.EMERGENCE, phase=Phase.IMPLEMENTATION
        ).exists()
        late = ChecklistItem.objects.filter(done_on=None, due_on__lt=self.today)
        assert late.exists() and late.exclude(responsible=None).exists()

    def test_the_international_officer_has_a_useful_work_view(self):
        officer = get_user_model().objects.get(email__startswith="international@")
        led = Project.objects.filter(
            partners__organization=officer.organization, partners__role=ProjectPartner.Role.LEAD
        )
        assert 2 <= led.count() <= 3
        workspace = workspace_for(user=officer)
        assert {p.pk for p in led} <= {p.pk for p in workspace.projects}
        assert workspace.late_items or workspace.silent_indicators

    def test_some_projects_are_born_in_a_group_and_some_are_published_with_news(self):
        assert Project.objects.exclude(origin_group=None).exists()
        published = Project.objects.filter(is_published=True)
        assert published.exists()
        assert not published.filter(updates=None).exists()

    def test_loading_again_adds_nothing(self):
        count = Project.objects.count()
        assert demo.load_demo(seed=1) == []
        assert Project.objects.count() == count


def test_the_demo_needs_the_demo_register(db):
    assert demo.load_demo(seed=1) == []
    assert not Project.objects.exists()
