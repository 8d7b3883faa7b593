"""The demo campaigns: a year of sent newsletters with believable figures, a draft, a schedule."""

import pytest

from observatoire.campaigns import demo, selectors
from observatoire.campaigns.models import Campaign
from observatoire.core.testing import make_person

pytestmark = pytest.mark.django_db


def test_demo_builds_a_year_of_campaigns_on_the_lists(make_list, subscribe):
    newsletter = make_list("Lettre du réseau", purpose="newsletter")
    for number in range(200):
        subscribe(newsletter, f"abonne{number}@example.org", tracking=number % 3 != 0)

    demo.load_demo(seed=1)

    sent = Campaign.objects.sent()
    assert sent.count() == 10
    assert Campaign.objects.filter(status=Campaign.Status.DRAFT).get().blocks
    assert Campaign.objects.filter(status=Campaign.Status.SCHEDULED).count() == 1
    assert sent.filter(name__startswith="Lettre du réseau").count() == 7
    assert sent.filter(name="Appel à projets FRIO : réunion d'information").exists()
    for campaign in selectors.with_counts(sent.filter(name__startswith="Lettre du réseau")):
        stats = selectors.stats_of(campaign)
        assert stats.sent > 0 and 35 <= stats.open_rate <= 45, campaign.name
    assert selectors.archive().count() == 7


def test_demo_without_lists_uses_the_register(db):
    make_person(email="awa@example.org")

    demo.load_demo(seed=1)

    assert Campaign.objects.sent().count() == 10
