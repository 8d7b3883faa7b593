"""The <head> every public page shares (Open Graph, canonical) and the language switch."""

import re

import pytest
from django.urls import reverse

from observatoire.news.tests.factories import make_news

pytestmark = pytest.mark.django_db


def meta(page: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', page)
    assert match, f"no {prop}"
    return match.group(1)


def test_every_page_carries_open_graph_tags_with_absolute_addresses(client):
    page = client.get(reverse("events:list")).content.decode()

    assert meta(page, "og:site_name") == "Réseau régional Nouvelle-Aquitaine"
    assert meta(page, "og:locale") == "fr_FR"
    assert meta(page, "og:url") == "http://testserver/evenements/"
    assert meta(page, "og:type") == "website"
    assert meta(page, "og:title")
    assert meta(page, "og:description")
    assert meta(page, "twitter:card") == "summary_large_image"
    image = meta(page, "og:image")
    assert image.startswith("http://testserver/static/") and image.endswith(".png")
    assert '<link rel="canonical" href="http://testserver/evenements/">' in page


def test_an_image_of_a_news_item_is_its_open_graph_image(client):
    from django.core.files.base import ContentFile

    item = make_news("Mission à Dédougou", image_alt="La délégation devant la mairie")
    item.image.save("mission.png", ContentFile(b"png"), save=True)
    page = client.get(reverse("news:detail", args=[item.slug])).content.decode()
    assert meta(page, "og:image") == f"http://testserver{item.image.url}"
    assert meta(page, "og:image:alt") == "La délégation devant la mairie"


def test_an_anonymous_visitor_switches_to_english_and_stays_on_the_page(client):
    item = make_news("Mission à Dédougou", language="fr", body="Une semaine à Dédougou.")
    url = reverse("news:detail", args=[item.slug])
    page = client.get(url).content.decode()
    assert '<html lang="fr">' in page and "Actualités" in page

    response = client.post(reverse("set_language"), {"language": "en", "next": url})

    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert '<html lang="en">' in page
    assert meta(page, "og:locale") == "en_GB"
    assert ">News</a>" in page  # the interface is in English
    # The text stays in French, and says so.
    assert '<article class="news-item" lang="fr">' in page
    assert "Une semaine à Dédougou." in page

    client.post(reverse("set_language"), {"language": "fr", "next": url})
    assert '<html lang="fr">' in client.get(url).content.decode()


def test_pages_and_crawlers_find_the_site_icon(client):
    page = client.get(reverse("portal:directory"))
    assert 'rel="icon"' in page.text and "favicon.svg" in page.text
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
