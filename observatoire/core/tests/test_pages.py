"""The public pages of this first version: home and privacy notice, for every persona."""

import pytest
from django.urls import reverse

from observatoire.core.testing import make_organization

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "sees_back_office_link"),
    [
        (None, False),
        ("editor", False),
        ("observatory", True),
        ("staff", True),
        ("administrator", True),
    ],
)
def test_home_page_for_each_persona(client, request, persona, sees_back_office_link):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    make_organization("Association visible", status="qualified")
    make_organization("Brouillon", status="draft")
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert response.context["figures"]["organizations"] == 1
    assert (reverse("admin:index") in response.content.decode()) is sees_back_office_link


def test_home_page_speaks_english_when_asked(client):
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    assert "organisations listed" in response.content.decode()


def test_privacy_notice_names_the_data_protection_contact(client, settings):
    settings.NETWORK_DPO_EMAIL = "dpo@reseau.example.org"
    response = client.get(reverse("core:privacy"))
    assert response.status_code == 200
    assert "dpo@reseau.example.org" in response.content.decode()
