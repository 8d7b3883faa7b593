"""The demo network gives the dashboard two periods to compare."""

from observatoire.core.periods import Period
from observatoire.events import figures as event_figures
from observatoire.observatory.demo import load_demo
from observatoire.observatory.figures import collect
from observatoire.organizations.testing import DemoNetworkTestCase


class DemoObservatoryTests(DemoNetworkTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.period = Period.last_twelve_months()

    def test_every_block_has_figures_in_the_demo_year(self):
        data = collect(self.period)
        assert data["organizations"]["listed"] > 100
        assert data["members"]["up_to_date"] > 50 and data["members"]["fees_total"] > 0
        assert data["referencing"]["received"] > 0
        assert data["trainings"]["count"] and data["trainings"]["satisfaction"]
        assert data["support"]["sessions"] == 47
        assert data["meetings"]["count"] and data["communication"]["news_published"]
        assert data["coverage"]["partnerships"]["count"]
        assert all(r["count"] for r in data["coverage"]["sdg_organizations"][:6])

    def test_the_year_before_has_trainings_meetings_and_news(self):
        before = collect(self.period.previous())
        assert 3 <= before["trainings"]["count"] <= 9
        assert before["trainings"]["satisfaction"] is not None
        assert before["meetings"]["participants"] > 0
        assert before["communication"]["news_published"] == 5
        assert before["support"]["sessions"] == 38
        assert before["referencing"]["received"] == 10
        assert (before["referencing"]["qualified"], before["referencing"]["rejected"]) == (8, 2)
        assert before["referencing"]["organizations_qualified"] >= 8

    def test_the_demo_year_of_the_other_apps_is_untouched(self):
        held = event_figures.period_figures(self.period)
        assert (held.meetings, held.meeting_participants) == (9, 191)

    def test_a_second_run_adds_nothing(self):
        count = collect(self.period.previous())["trainings"]["count"]
        load_demo(seed=1)
        assert collect(self.period.previous())["trainings"]["count"] == count
