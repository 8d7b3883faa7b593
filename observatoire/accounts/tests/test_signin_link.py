"""Sign-in by a link mailed to the address of an active account."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse

from observatoire.core.testing import make_user

pytestmark = pytest.mark.django_db


def _link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/compte/lien/\S+/", body).group(0)


def _ask(client, email: str):
    return client.post(reverse("accounts:signin_link_request"), {"email": email})


def test_the_login_page_offers_the_link(client):
    response = client.get(reverse("accounts:login"))
    assert reverse("accounts:signin_link_request") in response.text
    assert "Recevoir un lien de connexion par e-mail" in response.text


def test_a_link_signs_in_once(client, smtp_server):
    user = make_user("organization_editor", email="paul.girard@example.org")
    response = _ask(client, "Paul.Girard@example.org")
    assert response.status_code == 200
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["To"] == user.email
    path = _link_in(smtp_server.messages[0]).split("testserver", 1)[-1]

    # Opening the link does not use it up (mail scanners open links); the button does.
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    client.logout()
    response = client.post(path)
    assert response.status_code == 400
    assert "déjà servi" in response.text
    assert "_auth_user_id" not in client.session


def test_an_expired_link_is_refused_in_french(client, smtp_server):
    make_user("organization_editor", email="paul.girard@example.org")
    _ask(client, "paul.girard@example.org")
    path = _link_in(smtp_server.messages[0]).split("testserver", 1)[-1]
    later = time.time() + timedelta(minutes=16).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(path)
    assert response.status_code == 400
    assert "Ce lien de connexion a expiré" in response.text
    assert "_auth_user_id" not in client.session


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, smtp_server):
    make_user("organization_editor", email="paul.girard@example.org")
    known = _ask(client, "paul.girard@example.org")
    unknown = _ask(client, "personne@example.org")
    assert unknown.status_code == known.status_code == 200

    def page(response, email):
        text = response.text.replace(email, "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert page(unknown, "personne@example.org") == page(known, "paul.girard@example.org")
    assert len(smtp_server.messages) == 1


def test_an_inactive_account_gets_no_link(client, smtp_server):
    make_user("organization_editor", email="ancien@example.org", is_active=False)
    _ask(client, "ancien@example.org")
    assert smtp_server.messages == []


def test_requests_are_limited_per_address(client, smtp_server):
    make_user("organization_editor", email="paul.girard@example.org")
    for _ in range(3):
        _ask(client, "paul.girard@example.org")
    response = _ask(client, "paul.girard@example.org")
    assert "Trop de liens" in response.text
    assert len(smtp_server.messages) == 3


def test_requests_are_limited_per_client_address(client, smtp_server):
    for number in range(10):
        _ask(client, f"inconnu{number}@example.org")
    response = _ask(client, "encore@example.org")
    assert "Trop de liens" in response.text


def test_a_forged_token_is_refused(client):
    response = client.post(reverse("accounts:signin_link", args=["pas-un-jeton"]))
    assert response.status_code == 400


def test_a_bad_address_keeps_what_was_typed(client):
    response = _ask(client, "pas une adresse")
    assert response.status_code == 200
    assert 'value="pas une adresse"' in response.text
    assert "aria-invalid" in response.text


def test_the_link_signs_in_a_user_locked_out_by_wrong_passwords(client, smtp_server, settings):
    """Axes locks the password form after failures; the link proves the mailbox instead."""
    from axes.models import AccessAttempt

    user = make_user("organization_editor", email="paul.girard@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "mauvais-mot"})
    assert AccessAttempt.objects.filter(username=user.email).exists()
    _ask(client, user.email)
    path = _link_in(smtp_server.messages[0]).split("testserver", 1)[-1]
    assert client.post(path).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    # A successful sign-in clears the failures (AXES_RESET_ON_SUCCESS).
    assert not AccessAttempt.objects.filter(username=user.email).exists()
