"""sitemap.xml lists what the public may see, in pages; robots.txt points to it."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from observatoire.core.testing import make_organization
from observatoire.events.models import Event
from observatoire.events.tests.factories import make_event
from observatoire.feeds import sitemaps
from observatoire.groups.models import Group
from observatoire.news.tests.factories import make_news
from observatoire.organizations.models import Organization
from observatoire.projects.models import Project

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def is_organization_page(location: str) -> bool:
    """An organisation's page, /annuaire/<slug>/, not the directory /annuaire/ itself."""
    return "/annuaire/" in location and not location.endswith(reverse("portal:directory"))


def sitemap_locations(client) -> set[str]:
    """Every address of every file the sitemap index lists."""
    index = client.get(reverse("feeds:sitemap"))
    assert index.status_code == 200
    locations = set()
    for file_url in ET.fromstring(index.content).iter(f"{NS}loc"):
        response = client.get(file_url.text.removeprefix("http://testserver"))
        assert response.status_code == 200
        for url in ET.fromstring(response.content).iter(f"{NS}url"):
            locations.add(url.findtext(f"{NS}loc").removeprefix("http://testserver"))
            if is_organization_page(url.findtext(f"{NS}loc")):
                assert url.findtext(f"{NS}lastmod")
    return locations


def test_the_sitemap_lists_public_records_only(client):
    listed = make_organization("Eau Vive Charente", status=Organization.Status.QUALIFIED)
    draft = make_organization("Association en brouillon", status=Organization.Status.DRAFT)
    absorbed = make_organization("Eau Vive (doublon)", status=Organization.Status.QUALIFIED)
    Organization.objects.filter(pk=absorbed.pk).update(merged_into=listed)
    Project.objects.create(title="Eau à Kaya", slug="eau-kaya", is_published=True)
    Project.objects.create(title="Projet caché", slug="projet-cache")
    make_event("formation-eau")
    make_event("brouillon", status=Event.Status.DRAFT)
    Group.objects.create(name="Groupe Togo", slug="togo", kind="country", is_published=True)
    Group.objects.create(name="Groupe interne", slug="interne", kind="country")
    news = make_news("Le réseau recrute")
    hidden_news = make_news("Brouillon", published=False)

    locations = sitemap_locations(client)

    assert reverse("portal:organization", args=[listed.slug]) in locations
    assert reverse("portal:project", args=["eau-kaya"]) in locations
    assert reverse("events:detail", args=["formation-eau"]) in locations
    assert reverse("groups:detail", args=["togo"]) in locations
    assert reverse("news:detail", args=[news.slug]) in locations
    for name in sitemaps.STATIC_PAGES:
        assert reverse(name) in locations
    assert (
        not {
            reverse("portal:project", args=["projet-cache"]),
            reverse("events:detail", args=["brouillon"]),
            reverse("groups:detail", args=["interne"]),
            reverse("news:detail", args=[hidden_news.slug]),
            reverse("portal:organization", args=[absorbed.slug]),
        }
        & locations
    )
    assert not any(draft.name in location for location in locations)
    assert reverse("portal:directory") in locations
    assert sum(is_organization_page(location) for location in locations) == 1


def test_a_large_register_is_split_into_several_files(
    client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(sitemaps.SITEMAPS["structures"], "limit", 2)
    names = ["Ville de Tulle", "Ville de Bègles", "GrandAngoulême", "Ville de Saintes", "Cognac"]
    for name in names:
        make_organization(name, status=Organization.Status.QUALIFIED)

    index = ET.fromstring(client.get(reverse("feeds:sitemap")).content)
    files = [loc.text for loc in index.iter(f"{NS}loc") if "structures" in loc.text]
    assert len(files) == 3
    with django_assert_max_num_queries(2):  # a count and one page of slugs
        response = client.get(reverse("feeds:sitemap_section", args=["structures"]), {"p": 2})
    assert response.content.count(b"<url>") == 2
    with django_assert_max_num_queries(0):  # the same file again comes from the cache
        again = client.get(reverse("feeds:sitemap_section", args=["structures"]), {"p": 2})
    assert again.content == response.content
    beyond = client.get(reverse("feeds:sitemap_section", args=["structures"]), {"p": 9})
    assert beyond.status_code == 404
    nonsense = client.get(reverse("feeds:sitemap_section", args=["structures"]), {"p": "x'"})
    assert nonsense.status_code == 404
    assert client.get(reverse("feeds:sitemap_section", args=["inconnue"])).status_code == 404
    assert sum(is_organization_page(location) for location in sitemap_locations(client)) == 5


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for prefix in ["/gestion/", "/espace/", "/compte/"]:
        assert f"Disallow: {prefix}" in lines
