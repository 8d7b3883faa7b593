"""RSS and Atom feeds: valid XML, published records only, nothing a project keeps private."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from observatoire.events.models import Event
from observatoire.events.tests.factories import make_event
from observatoire.news.tests.factories import make_news
from observatoire.organizations.models import Visibility
from observatoire.projects.models import Project

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_items(client, name) -> list[ET.Element]:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel is not None and channel.findtext("title")
    return channel.findall("item")


def atom_entries(client, name) -> list[ET.Element]:
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    return feed.findall(f"{ATOM}entry")


def test_the_news_feeds_hold_published_news_with_escaped_text(client):
    make_news("Le réseau recrute", summary="Un poste <b>ouvert</b> à Bordeaux.")
    make_news("Brouillon secret", published=False)

    channel = ET.fromstring(client.get(reverse("feeds:news_rss")).content).find("channel")
    assert channel.findtext("title") == "Actualités — Réseau régional Nouvelle-Aquitaine"
    assert channel.findtext("language") == "fr"
    items = rss_items(client, "feeds:news_rss")
    assert [item.findtext("title") for item in items] == ["Le réseau recrute"]
    item = items[0]
    assert item.findtext("link").startswith("http://testserver/actualites/le-reseau-recrute/")
    # Readers take the description as HTML: the typed markup must arrive escaped.
    assert item.findtext("description") == "Un poste &lt;b&gt;ouvert&lt;/b&gt; à Bordeaux."
    assert item.findtext("pubDate")

    entries = atom_entries(client, "feeds:news_atom")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Le réseau recrute"]


def test_the_project_feeds_show_published_projects_and_only_their_public_fields(client):
    Project.objects.create(
        title="Eau potable à Dédougou",
        slug="eau-potable-dedougou",
        summary="Des bornes-fontaines pour trois quartiers.",
        is_published=True,
    )
    Project.objects.create(
        title="Maraîchage à Kaya",
        slug="maraichage-kaya",
        summary="Résumé réservé à l'équipe",
        is_published=True,
        field_visibility={"summary": Visibility.STAFF},
    )
    Project.objects.create(title="Projet en préparation", slug="en-preparation")

    items = rss_items(client, "feeds:projects_rss")
    titles = {item.findtext("title"): item for item in items}
    assert set(titles) == {"Eau potable à Dédougou", "Maraîchage à Kaya"}
    assert titles["Eau potable à Dédougou"].findtext("description") == (
        "Des bornes-fontaines pour trois quartiers."
    )
    assert titles["Eau potable à Dédougou"].findtext("link") == (
        "http://testserver" + reverse("portal:project", args=["eau-potable-dedougou"])
    )
    body = client.get(reverse("feeds:projects_rss")).content.decode()
    assert "réservé à l'équipe" not in body and "réservé à l&#x27;équipe" not in body
    assert "réservé" not in client.get(reverse("feeds:projects_atom")).content.decode()
    assert len(atom_entries(client, "feeds:projects_atom")) == 2


def test_the_event_feeds_list_upcoming_published_events(client):
    make_event(
        "formation-eau",
        title="Formation : projets eau",
        online_url="https://visio.example.org/salle-privee",
    )
    make_event("brouillon", title="Brouillon", status=Event.Status.DRAFT)
    make_event("ancien", title="Rencontre passée", starts_in=datetime.timedelta(days=-30))

    items = rss_items(client, "feeds:events_rss")
    assert [item.findtext("title") for item in items] == ["Formation : projets eau"]
    assert items[0].findtext("link") == "http://testserver" + reverse(
        "events:detail", args=["formation-eau"]
    )
    assert len(atom_entries(client, "feeds:events_atom")) == 1
    # The online link is for registered participants only.
    assert "salle-privee" not in client.get(reverse("feeds:events_rss")).content.decode()


def test_pages_announce_the_feeds_in_their_head(client):
    head = client.get(reverse("core:home")).content.decode().split("</head>")[0]
    for name in ["news", "projects", "events"]:
        assert f'href="{reverse(f"feeds:{name}_rss")}"' in head
        assert f'href="{reverse(f"feeds:{name}_atom")}"' in head
