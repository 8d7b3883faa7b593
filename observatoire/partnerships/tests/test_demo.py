"""The demo partnerships: ten pairs, Châtellerault–Oujda followed closely."""

import pytest
from django.contrib.auth import get_user_model

from observatoire.partnerships.models import Agreement, Mission, Partnership
from observatoire.partnerships.selectors import cooperations_in_place, partnership_timeline

pytestmark = pytest.mark.django_db


def test_the_demo_holds_ten_partnerships_and_the_followed_one(demo_network):
    assert Partnership.objects.count() == 10
    oujda = Partnership.objects.get(
        french_authority__name="Ville de Châtellerault",
        foreign_authority__name="Commune urbaine d'Oujda",
    )
    assert oujda.since_year == 2005 and oujda.kind == Partnership.Kind.COOPERATION
    assert oujda.officer == get_user_model().objects.get(email__startswith="international@")
    years = sorted(a.signed_on.year for a in oujda.agreements.all())
    assert years == [2005, 2011, 2017, 2023]
    assert (
        oujda.agreements.filter(status=Agreement.Status.RENEWED, renews__isnull=False).count() == 3
    )
    assert set(oujda.contacts.values_list("side", flat=True)) == {"french", "foreign"}
    missions = oujda.missions.all()
    assert {m.direction for m in missions} == {"outgoing", "incoming"}
    assert missions.filter(status=Mission.Status.PLANNED).count() == 1
    assert all(m.report and m.cost for m in missions.filter(status=Mission.Status.DONE))
    assert {
        p.since_year
        for p in Partnership.objects.filter(
            foreign_authority__name__in=["Commune d'Atakpamé", "Commune de Dédougou"]
        )
    } == {1984, 1998}

    timeline = partnership_timeline(oujda)
    assert timeline[0].year_only and timeline[0].date.year == 2005
    assert timeline[-1].upcoming
    watch = cooperations_in_place(oujda)
    assert any(
        p.foreign_authority.name == "Commune urbaine de Casablanca"
        for p in watch.partnerships_in_country
    )
    assert watch.organizations_in_town or watch.organizations_in_country
