"""A visitor reads the news in Chromium: list, filter, page, language switch; axe-core on each."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.core.testing import ensure_reference_data
from observatoire.news.tests.factories import make_listed_organization, make_news

pytestmark = pytest.mark.browser


def test_a_visitor_filters_the_news_reads_one_and_switches_to_english(page):
    ensure_reference_data()
    charente = make_listed_organization()
    make_news("Le réseau recrute", summary="Un poste de chargé·e de mission à Bordeaux.")
    item = make_news(
        "Mission à Dédougou",
        organization=charente,
        summary="La délégation est rentrée.",
        body="Une semaine de travail.\n\nTrois bornes-fontaines en service.",
        image_alt="La délégation devant la mairie de Dédougou",
    )
    item.image.save("mission.png", ContentFile(b"not served by the live server"), save=True)

    page.goto(reverse("news:list"))
    assert_accessible(page)
    page.select_option("#news-source", charente.slug)
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".news-card")).to_have_count(1)

    page.get_by_role("link", name="Mission à Dédougou").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mission à Dédougou")
    expect(page.get_by_alt_text("La délégation devant la mairie de Dédougou")).to_be_attached()
    assert_accessible(page)

    page.select_option("#language-select", "en")
    expect(page).to_have_url(re.compile(re.escape(reverse("news:detail", args=[item.slug]))))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("article.news-item")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("link", name="News", exact=True)).to_be_visible()
    assert_accessible(page)
