"""The demo follow-up of « Incubateur ODD 2026 », alone on nine laureates and in the whole demo."""

import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from observatoire.core.periods import Period
from observatoire.core.testing import ensure_reference_data, make_organization, make_user
from observatoire.grants import demo, services
from observatoire.grants.models import Grant, Payment, ReportDue
from observatoire.grants.testing import make_application, make_call
from observatoire.groups.models import Group
from observatoire.observatory.figures import collect
from observatoire.organizations.testing import DemoNetworkTestCase
from observatoire.selection.models import Committee, Decision


@pytest.mark.django_db
def test_without_laureates_the_demo_does_nothing():
    ensure_reference_data()
    assert demo.load_demo(seed=1) == []
    make_call(demo.CALL_TITLE)
    assert demo.load_demo(seed=1) == []
    assert not Grant.objects.exists()


@pytest.mark.django_db
def test_nine_laureates_are_followed_up():
    ensure_reference_data()
    make_user("staff")
    call = make_call(demo.CALL_TITLE)
    committee = Committee.objects.create(
        call=call,
        stage=call.stages.get(number=2),
        held_on=timezone.localdate() - datetime.timedelta(days=120),
    )
    for number in range(9):
        application = make_application(
            call,
            organization=make_organization(f"Association lauréate {number}"),
            email=f"laureat{number}@asso.test",
        )
        Decision.objects.create(
            committee=committee,
            application=application,
            outcome="laureate",
            amount_granted=8000 + 1000 * number,
        )
    grants = demo.load_demo(seed=7)
    assert len(grants) == 9
    today = timezone.localdate()
    for grant in Grant.objects.all():
        assert grant.signed_on and grant.reference
        assert grant.amount == grant.application.decisions.get().amount_granted
        assert 2 <= grant.instalments.count() <= 3
        assert grant.instalments.aggregate(total=Sum("amount"))["total"] == grant.amount
        assert grant.project.lead_partner == grant.application.organization
    assert Payment.objects.count() == 7
    late = ReportDue.objects.filter(received_on=None, due_on__lt=today)
    assert late.count() == 1 and late.get().kind == ReportDue.Kind.INTERIM
    group = Group.objects.get(slug=services.community_slug(call))
    assert group.members.count() == 18
    assert demo.load_demo(seed=7) == []


class WholeDemoTests(DemoNetworkTestCase):
    """The calls, selection and grants demos together give the year of the real incubator."""

    def test_the_observatory_counts_the_incubator_year(self):
        if not Grant.objects.exists():
            self.skipTest("The calls and selection demos have not made laureates.")
        figures = collect(Period.last_twelve_months())["calls"]
        assert figures["notes_of_intent"] == 25
        assert figures["finalists"] == 16
        assert figures["committees"] == 2
        assert figures["laureates"] == 9
        assert Grant.objects.count() == 9
