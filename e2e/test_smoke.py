"""A person's first steps in a real browser: home page, login, back office."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-42"


def test_home_page_opens(page):
    response = page.goto(reverse("core:home"))

    assert response is not None and response.status == 200


def test_staff_member_logs_in_and_reaches_the_back_office(page):
    user = get_user_model().objects.create_user(
        email="claire.martin@example.org", password=PASSWORD, role="staff"
    )

    response = page.goto(f"{reverse('accounts:login')}?next={reverse('admin:index')}")
    assert response is not None and response.status == 200
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")

    expect(page).to_have_url(re.compile(re.escape(reverse("admin:index")) + "$"))
    expect(page).to_have_title(re.compile("Espace de gestion"))
