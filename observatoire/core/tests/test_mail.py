"""Mail really leaves through SMTP: the password-reset flow against a local SMTP server."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode


def reset_links(body: str) -> list[tuple[str, dict[str, str]]]:
    """The links of a message body that resolve to the password-reset confirmation view."""
    links = []
    for url in re.findall(r"https?://[^\s<>\"']+", body):
        try:
            match = resolve(urlsplit(url).path)
        except Resolver404:
            continue
        if match.view_name == "accounts:password_reset_confirm":
            links.append((url, match.kwargs))
    return links


@pytest.mark.django_db
def test_password_reset_sends_a_working_link_by_smtp(client, smtp_server):
    user = get_user_model().objects.create_user(
        email="camille.durand@example.org", password="an-old-password-42"
    )

    response = client.post(reverse("accounts:password_reset"), {"email": user.email})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == user.email
    body = message.get_body(preferencelist=("plain", "html")).get_content()
    links = reset_links(body)
    assert len(links) == 1, body
    _url, kwargs = links[0]
    assert force_str(urlsafe_base64_decode(kwargs["uidb64"])) == str(user.pk)
    assert default_token_generator.check_token(user, kwargs["token"])


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_sends_nothing(client, smtp_server):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})

    # Same answer as for a known address: the form does not tell who has an account.
    assert response.status_code == 302
    assert smtp_server.messages == []
