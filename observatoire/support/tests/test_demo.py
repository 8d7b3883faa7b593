"""The demo network holds the support of a year: 47 sessions for 27 organisations."""

import datetime

from django.db.models import Count
from django.utils import timezone

from observatoire.core.periods import Period
from observatoire.organizations.testing import DemoNetworkTestCase
from observatoire.support import selectors
from observatoire.support.models import FollowUpAction, HelpKind, SupportSession


class DemoSupportTests(DemoNetworkTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.today = timezone.localdate()

    def test_47_sessions_for_27_organisations_over_the_past_year(self):
        # The observatory's demo adds the year before, for the comparison of two periods.
        start = self.today - datetime.timedelta(days=366)
        sessions = SupportSession.objects.filter(occurred_on__gte=start)
        assert sessions.count() == 47
        assert sessions.values("organization").distinct().count() == 27
        assert SupportSession.objects.filter(occurred_on__gt=self.today).count() == 0
        earlier = SupportSession.objects.filter(occurred_on__lt=start)
        assert 0 < earlier.count() < 47

    def test_several_staff_and_every_kind_of_help(self):
        staff = SupportSession.staff_members.through.objects.values("user_id").distinct()
        assert staff.count() >= 2
        used = dict(HelpKind.objects.annotate(n=Count("sessions")).values_list("code", "n"))
        assert set(used) == set(HelpKind.Code.values)
        assert all(n > 0 for n in used.values())

    def test_some_follow_ups_are_overdue_and_some_done(self):
        assert FollowUpAction.objects.overdue(today=self.today).count() >= 3
        assert FollowUpAction.objects.done().count() >= 5
        for follow_up in FollowUpAction.objects.select_related("session"):
            assert follow_up.due_on >= follow_up.session.occurred_on

    def test_people_met_belong_to_the_organisation(self):
        for session in SupportSession.objects.prefetch_related("people__affiliations"):
            for person in session.people.all():
                assert session.organization_id in {
                    a.organization_id for a in person.affiliations.all()
                }

    def test_the_figures_cover_departements_themes_and_countries(self):
        figures = selectors.support_figures(
            period=Period.custom(self.today - datetime.timedelta(days=366), self.today)
        )
        assert figures["totals"]["sessions"] == 47
        assert figures["totals"]["organizations"] == 27
        assert len(figures["by_departement"]) >= 4
        assert figures["by_theme"] and figures["by_country"]
