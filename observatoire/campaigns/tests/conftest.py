"""Lists, subscribers and campaigns for the campaigns' tests."""

import itertools

import pytest
from django.utils import timezone

from observatoire.campaigns import services
from observatoire.campaigns.models import Campaign
from observatoire.newsletters.models import MailingList, Subscription

_numbers = itertools.count(1)


@pytest.fixture
def make_list(db):
    def make(name: str = "", purpose: str = "newsletter") -> MailingList:
        number = next(_numbers)
        return MailingList.objects.create(
            name=name or f"Liste {number}", slug=f"liste-{number}", purpose=purpose
        )

    return make


@pytest.fixture
def subscribe(db):
    def subscribe(mailing_list, address, *, tracking=False, first_name="", last_name="", **more):
        return Subscription.objects.create(
            mailing_list=mailing_list,
            address=address,
            first_name=first_name,
            last_name=last_name,
            status=more.pop("status", Subscription.Status.CONFIRMED),
            source=Subscription.Source.STAFF,
            consent_wording="J'accepte de recevoir la lettre du réseau.",
            consented_at=timezone.now(),
            confirmed_at=timezone.now(),
            tracking_allowed=tracking,
            **more,
        )

    return subscribe


@pytest.fixture
def make_campaign(db):
    def make(
        *, lists=(), body="<p>Bonjour {{ prenom }},</p><p>Les nouvelles du réseau.</p>", **fields
    ):
        campaign = Campaign(
            name=fields.pop("name", "Lettre de mars"),
            subject=fields.pop("subject", "La lettre du réseau — mars"),
            body_html=body,
            **fields,
        )
        return services.campaign_save(campaign=campaign, lists=list(lists))

    return make


def send_now(campaign: Campaign, capture) -> Campaign:
    """Start sending as « Envoyer maintenant » does; tasks run immediately in the tests."""
    with capture(execute=True):
        services.campaign_schedule(campaign=campaign, at=None)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.CAMPAIGNS_RATE_PER_MINUTE = 0
    settings.SITE_URL = "https://reseau.example.org"
