import pytest

from .. import demo
from ..models import MailingList, Subscription
from ..selectors import recipients

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="class")
def demo_seed():
    return 3


def test_the_demo_has_a_newsletter_calls_and_a_dynamic_list_that_reach_people(demo_network):
    # demo_network loaded every app's demo with seed 3, this one included.
    demo.load_demo(seed=3)  # a second run adds nothing
    newsletter = MailingList.objects.get(name=demo.NEWSLETTER)
    confirmed = newsletter.subscriptions.filter(status=Subscription.Status.CONFIRMED)
    assert 200 <= confirmed.count() <= 300
    assert confirmed.filter(person__isnull=False).exists()
    assert newsletter.subscriptions.filter(status="pending").count() > 0
    assert newsletter.subscriptions.filter(status="unsubscribed").count() > 0
    reachable = list(recipients(lists=[newsletter]))
    assert len(reachable) < confirmed.count()  # bounced and unsubscribed addresses left out
    gironde = MailingList.objects.get(name=demo.GIRONDE_WATER)
    assert len(list(recipients(lists=[gironde]))) >= 1
    assert MailingList.objects.public().count() == 2
