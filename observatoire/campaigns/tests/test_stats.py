"""Statistics per campaign, per year and for the observatory."""

import datetime

import pytest
from django.utils import timezone

from observatoire.campaigns import selectors
from observatoire.campaigns.models import Campaign, Delivery

pytestmark = pytest.mark.django_db


def _campaign(make_campaign, finished_at, **fields):
    campaign = make_campaign(**fields)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENT, finished_at=finished_at
    )
    return campaign


def _deliveries(campaign, *specs):
    for number, (status, tracking, opened, clicked, unsubscribed) in enumerate(specs):
        now = timezone.now()
        Delivery.objects.create(
            campaign=campaign,
            address=f"r{number}@example.org",
            status=status,
            tracking_allowed=tracking,
            opened_at=now if opened else None,
            clicked_at=now if clicked else None,
            unsubscribed_at=now if unsubscribed else None,
        )


def test_campaign_statistics_arithmetic(make_campaign):
    campaign = _campaign(make_campaign, timezone.now())
    _deliveries(
        campaign,
        ("sent", True, True, True, False),
        ("sent", True, True, False, False),
        ("sent", True, False, False, False),
        ("sent", True, False, False, False),
        ("sent", False, True, False, True),  # not measured: its open does not count
        ("bounced", True, True, False, False),  # bounced: neither delivered nor measured
        ("failed", True, False, False, False),
        ("uncertain", True, False, False, False),
        ("pending", True, False, False, False),
        ("skipped", True, False, False, False),
    )

    stats = selectors.stats_of(campaign)

    assert (stats.sent, stats.bounced, stats.delivered) == (6, 1, 5)
    assert (stats.tracked, stats.opened, stats.clicked) == (4, 2, 1)
    assert (stats.open_rate, stats.click_rate) == (50.0, 25.0)
    assert stats.bounce_rate == round(100 / 6, 1)
    assert (stats.unsubscribed, stats.unsubscribe_rate) == (1, 20.0)
    assert (stats.failed, stats.uncertain, stats.pending, stats.skipped) == (1, 1, 1, 1)
    assert selectors.Stats().open_rate is None


def test_statistics_per_year_and_for_the_observatory(make_campaign, django_assert_num_queries):
    this_year = timezone.now()
    last_year = this_year - datetime.timedelta(days=400)
    first = _campaign(make_campaign, this_year, name="Un")
    second = _campaign(make_campaign, this_year, name="Deux")
    old = _campaign(make_campaign, last_year, name="Vieux")
    make_campaign(name="Brouillon")
    _deliveries(first, ("sent", True, True, True, True), ("bounced", True, False, False, False))
    _deliveries(second, ("sent", True, False, False, False))
    _deliveries(old, ("sent", False, False, False, False))

    with django_assert_num_queries(1):
        years = selectors.stats_by_year()

    assert [(year, count, stats.sent) for year, count, stats in years] == [
        (this_year.year, 2, 3),
        (last_year.year, 1, 1),
    ]
    figures = selectors.mailings_figures(
        start=this_year - datetime.timedelta(days=30), end=this_year + datetime.timedelta(days=1)
    )
    assert figures == {
        "campaigns_sent": 2,
        "sent": 3,
        "delivered": 2,
        "bounced": 1,
        "opened": 1,
        "clicked": 1,
        "unsubscribed": 1,
    }


def test_observatory_collects_the_mailings(make_campaign):
    from observatoire.core.periods import Period
    from observatoire.observatory.figures import Filters, collect

    campaign = _campaign(make_campaign, timezone.now())
    _deliveries(campaign, ("sent", True, True, False, False))

    data = collect(Period.year(timezone.localdate().year), Filters())

    assert data["communication"]["mailings"]["campaigns_sent"] == 1
    assert data["communication"]["mailings"]["opened"] == 1


def test_the_campaign_list_counts_in_few_queries(
    client, make_campaign, django_assert_max_num_queries
):
    from observatoire.core.testing import make_user

    for number in range(5):
        campaign = _campaign(make_campaign, timezone.now(), name=f"C{number}")
        _deliveries(campaign, ("sent", True, True, False, False))
    client.force_login(make_user("staff"))

    with django_assert_max_num_queries(10):
        response = client.get("/espace/campagnes/")

    assert response.status_code == 200
