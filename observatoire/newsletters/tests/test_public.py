"""The public pages: subscribing with double opt-in through a real SMTP server, unsubscribing."""

import datetime
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from observatoire.core.antispam import TIMESTAMP_SALT
from observatoire.core.testing import make_person
from observatoire.organizations.models import Consent

from ..models import Subscription, Suppression
from ..services import suppress, unsubscribe_url
from .factories import make_list, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST and run what waits for the commit (the confirmation mail), as in production."""

    def _post(path, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data or {})

    return _post


@pytest.fixture
def letter(db):
    return make_list(is_public=True, description="Une lettre par mois.")


def stamp(seconds_ago=60):
    import time

    return signing.dumps(int(time.time()) - seconds_ago, salt=TIMESTAMP_SALT)


def form_data(letter, **overrides):
    data = {
        "lists": [str(letter.pk)],
        "email": "Awa.Traore@Example.org",
        "first_name": "Awa",
        "last_name": "Traoré",
        "organization_name": "Eau Vive",
        "consent": "on",
        "started": stamp(),
        "nickname": "",
    }
    data.update(overrides)
    return data


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/lettre/confirmer/\S+/", body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_subscribe_mail_confirm(client, post, letter, smtp_server):
    page = client.get(reverse("newsletters:subscribe"))
    assert letter.name in page.content.decode()
    response = post(reverse("newsletters:subscribe"), form_data(letter))
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.status == "pending"
    assert subscription.address == "awa.traore@example.org"
    assert "Réseau" in subscription.consent_wording or "réseau" in subscription.consent_wording
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "awa.traore@example.org"
    assert str(message["Subject"]).strip().startswith("[Réseau régional Nouvelle-Aquitaine] ")
    path = path_of(link_in(message))
    # Opening the link shows a button; a mail scanner opening it confirms nothing.
    assert "Confirmer" in client.get(path).content.decode()
    assert Subscription.objects.get().status == "pending"
    confirmed = post(path)
    assert "Votre inscription est confirmée" in confirmed.content.decode()
    assert Subscription.objects.get().status == "confirmed"
    again = client.get(path)
    assert "Votre inscription est déjà confirmée" in again.content.decode()
    assert "Votre inscription est déjà confirmée" in post(path).content.decode()


def test_a_known_person_gets_a_consent_in_the_register(client, post, letter, smtp_server):
    person = make_person("Awa", "Traoré", email="awa.traore@example.org")
    post(reverse("newsletters:subscribe"), form_data(letter))
    post(path_of(link_in(smtp_server.messages[0])))
    consent = Consent.objects.get(person=person)
    assert consent.purpose == "newsletter" and consent.granted
    assert consent.source == "form"
    assert consent.wording == Subscription.objects.get().consent_wording
    assert Subscription.objects.get().person == person


def test_expired_link_offers_a_new_one(client, post, letter, smtp_server):
    post(reverse("newsletters:subscribe"), form_data(letter))
    Subscription.objects.update(token_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    path = path_of(link_in(smtp_server.messages[0]))
    page = client.get(path).content.decode()
    assert "Ce lien a expiré" in page
    assert post(path).status_code == 200
    assert Subscription.objects.get().status == "pending"
    post(path.rstrip("/") + "/nouveau-lien/")
    assert len(smtp_server.messages) == 2
    new_path = path_of(link_in(smtp_server.messages[1]))
    assert new_path != path
    post(new_path)
    assert Subscription.objects.get().status == "confirmed"


def test_subscribing_again_makes_no_duplicate_and_reveals_nothing(
    client, post, letter, smtp_server
):
    subscribe(letter, "awa.traore@example.org")
    response = post(reverse("newsletters:subscribe"), form_data(letter))
    assert response.status_code == 302
    assert response.url == reverse("newsletters:subscribed")
    assert Subscription.objects.count() == 1
    assert Subscription.objects.get().status == "confirmed"
    assert smtp_server.messages == []


def test_invalid_address_is_an_error_on_its_field(client, letter):
    response = client.post(
        reverse("newsletters:subscribe"), form_data(letter, email="awa@", first_name="Awa")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_email_error"' in page
    assert 'aria-describedby="id_email_error' in page
    assert 'value="awa@"' in page and 'value="Awa"' in page
    assert Subscription.objects.count() == 0


def test_consent_is_required(client, letter):
    data = form_data(letter)
    del data["consent"]
    page = client.post(reverse("newsletters:subscribe"), data).content.decode()
    assert 'id="id_consent_error"' in page
    assert Subscription.objects.count() == 0


def test_honeypot_pretends_and_records_nothing(client, post, letter, smtp_server):
    response = post(reverse("newsletters:subscribe"), form_data(letter, nickname="robot"))
    assert response.status_code == 302
    assert Subscription.objects.count() == 0
    assert smtp_server.messages == []


def test_rate_limit_per_address(client, post, letter, smtp_server):
    for _attempt in range(3):
        post(reverse("newsletters:subscribe"), form_data(letter))
    response = post(reverse("newsletters:subscribe"), form_data(letter))
    assert response.status_code == 429
    assert "Awa.Traore@Example.org" in response.content.decode()


def test_private_lists_cannot_be_chosen(client, letter):
    private = make_list("Liste interne")
    response = client.post(
        reverse("newsletters:subscribe"), form_data(letter, lists=[str(private.pk)])
    )
    assert 'id="id_lists_error"' in response.content.decode()
    assert Subscription.objects.count() == 0


def test_suppressed_address_comes_back_with_double_opt_in(client, post, letter, smtp_server):
    suppress(address="awa.traore@example.org", reason="unsubscribed", source="link")
    post(reverse("newsletters:subscribe"), form_data(letter))
    post(path_of(link_in(smtp_server.messages[0])))
    lifted = Suppression.objects.get()
    assert lifted.lifted_at is not None and lifted.lifted_by == "double opt-in"
    from ..selectors import recipients

    assert [r.address for r in recipients(lists=[letter])] == ["awa.traore@example.org"]


def test_unsubscribe_page_and_button(client, letter):
    person = make_person("Awa", "Traoré", email="awa@example.org")
    subscribe(letter, "awa@example.org", person=person)
    path = path_of(unsubscribe_url(address="awa@example.org", mailing_list=letter))
    page = client.get(path).content.decode()
    assert "Se désabonner de Lettre mensuelle" in page
    assert "de toutes les listes" in page
    response = client.post(path, {"confirm": "yes", "scope": "list"})
    assert "Vous êtes désabonné" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.status == "unsubscribed" and subscription.unsubscribed_at
    withdrawn = Consent.objects.get(person=person)
    assert withdrawn.purpose == "newsletter" and not withdrawn.granted
    assert not Suppression.objects.exists()


def test_unsubscribe_from_all_lists_suppresses_the_address(client, letter):
    subscribe(letter, "awa@example.org")
    path = path_of(unsubscribe_url(address="awa@example.org", mailing_list=letter))
    client.post(path, {"confirm": "yes", "scope": "all"})
    assert Suppression.objects.get().reason == "unsubscribed"


def test_one_click_unsubscribe_without_csrf_token(letter):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    subscribe(letter, "awa@example.org")
    path = path_of(unsubscribe_url(address="awa@example.org", mailing_list=letter))
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert Subscription.objects.get().status == "unsubscribed"


def test_one_click_accepts_only_the_exact_body(letter):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    subscribe(letter, "awa@example.org")
    path = path_of(unsubscribe_url(address="awa@example.org", mailing_list=letter))
    for body in ("List-Unsubscribe=Yes", "List-Unsubscribe=One-Click&x=1", ""):
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400
    assert Subscription.objects.get().status == "confirmed"


def test_tampered_unsubscribe_token_is_a_french_400(client, letter):
    path = path_of(unsubscribe_url(address="awa@example.org", mailing_list=letter))
    tampered = path.replace("/desabonnement/", "/desabonnement/x")
    for method in (client.get, client.post):
        response = method(tampered)
        assert response.status_code == 400
        assert "Lien non valide" in response.content.decode()


def test_unknown_confirmation_link_is_a_404_page(client):
    response = client.get(reverse("newsletters:confirm", args=["nope"]))
    assert response.status_code == 404
    assert "Lien inconnu" in response.content.decode()


def test_a_register_contact_leaves_a_dynamic_list_through_its_link(client):
    from ..models import MailingList
    from ..selectors import recipients
    from .factories import contact, water_authority

    person = contact(
        water_authority(), "Claire", "Moreau", "claire@begles.fr", main=True, purposes=["mailings"]
    )
    dynamic = make_list(
        "Collectivités — eau",
        purpose="mailings",
        kind=MailingList.Kind.DYNAMIC,
        filter_query="family=local_authority",
    )
    assert [r.address for r in recipients(lists=[dynamic])] == ["claire@begles.fr"]
    path = path_of(unsubscribe_url(address="claire@begles.fr", mailing_list=dynamic))
    client.post(path, {"confirm": "yes", "scope": "list"})
    assert list(recipients(lists=[dynamic])) == []
    latest = Consent.objects.filter(person=person, purpose="mailings").latest("given_at")
    assert latest.granted is False and latest.source == "form"


def test_rate_limit_per_connection(client, post, letter, smtp_server, settings):
    settings.REFERENCING_RATE_LIMIT = 2
    for index in range(2):
        post(reverse("newsletters:subscribe"), form_data(letter, email=f"p{index}@example.org"))
    response = post(reverse("newsletters:subscribe"), form_data(letter, email="p9@example.org"))
    assert response.status_code == 429
    assert "Trop d’inscriptions" in response.content.decode()
    assert Subscription.objects.count() == 2
