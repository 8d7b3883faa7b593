"""GDPR: a person's export lists their subscriptions; their erasure leaves only a hash."""

import pytest

from observatoire.core.testing import make_person
from observatoire.organizations.privacy import person_erase, person_personal_data

from ..models import Bounce, Subscription, Suppression
from ..services import is_suppressed, record_bounce, suppress
from .factories import make_list, subscribe

pytestmark = pytest.mark.django_db


def test_export_lists_the_subscriptions():
    person = make_person("Awa", "Traoré", email="awa@example.org")
    subscribe(make_list(), "awa@example.org", person=person)
    data = person_personal_data(person)
    [row] = data["mailing_lists"]
    assert row["list"] == "Lettre mensuelle"
    assert row["address"] == "awa@example.org"
    assert row["wording"]


def test_erasure_deletes_subscriptions_and_keeps_only_a_hash():
    person = make_person("Awa", "Traoré", email="awa@example.org")
    letter = make_list()
    subscribe(letter, "awa@example.org", person=person)
    # A subscription made before the person was known, with the same address.
    subscribe(make_list("Appels à projets"), "AWA@example.org")
    suppress(address="awa@example.org", reason="unsubscribed", source="link")
    record_bounce(address="awa@example.org", kind="soft", diagnostic="452")
    person_erase(person=person)
    assert not Subscription.objects.exists()
    assert not Bounce.objects.exists()
    assert not Suppression.objects.filter(address__icontains="awa").exists()
    assert Suppression.objects.get().reason == "erased"
    assert is_suppressed(address="Awa@Example.org")
