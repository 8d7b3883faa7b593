"""A staff member makes an API token in their account, uses it, then revokes it; axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible

pytestmark = pytest.mark.browser


def test_staff_create_use_and_revoke_a_token(staff_page):
    page = staff_page
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Jetons d’API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jetons d’API")
    expect(page.get_by_text("Vous n’avez aucun jeton.")).to_be_visible()
    page.get_by_role("button", name="Créer un jeton").click()
    token = page.get_by_label("Jeton", exact=True).input_value()
    assert token.startswith("obs_")
    assert_accessible(page)

    answer = page.request.get(
        "/api/v1/registre/personnes/", headers={"Authorization": f"Token {token}"}
    )
    assert answer.status == 200
    page.goto(reverse("api_tokens:list"))
    assert token not in page.content()  # shown once only
    page.get_by_role("button", name="Révoquer le jeton").click()
    expect(page.get_by_text("Le jeton a été révoqué")).to_be_visible()
    answer = page.request.get(
        "/api/v1/registre/personnes/", headers={"Authorization": f"Token {token}"}
    )
    assert answer.status == 401
    assert answer.json()["error"]["code"] == "authentication_failed"
