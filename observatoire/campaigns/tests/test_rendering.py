"""Personalisation and blocks: what each recipient reads, safely."""

import datetime

import pytest
from django.utils import timezone

from observatoire.campaigns.blocks import render_blocks
from observatoire.campaigns.models import Campaign
from observatoire.campaigns.rendering import Person, personalize, render_message
from observatoire.events.models import Event
from observatoire.events.tests.factories import make_event
from observatoire.news.models import NewsItem
from observatoire.watch.models import WatchItem, WatchKind

pytestmark = pytest.mark.django_db


def test_personalisation_fields_are_escaped_in_html_and_plain_in_text():
    person = Person("a@example.org", "<b>Zoé</b>", "O'Neil & fils", "Asso {{ nom }}")
    template = (
        "Bonjour {{ prenom }} {{nom}} de {{ structure }} / {{ first_name }} {{ organisation }}"
    )

    assert personalize(template, person, escape=True) == (
        "Bonjour &lt;b&gt;Zoé&lt;/b&gt; O&#x27;Neil &amp; fils de Asso {{ nom }} / "
        "&lt;b&gt;Zoé&lt;/b&gt; Asso {{ nom }}"
    )
    assert personalize("Bonjour {{ prenom }}", person, escape=False) == "Bonjour <b>Zoé</b>"


def test_staff_text_is_never_evaluated_as_a_template():
    person = Person("a@example.org", "Zoé")
    text = "{% load static %}{{ settings.SECRET_KEY }} {{ prenom|upper }} {{ prenom }}"

    assert personalize(text, person, escape=True) == (
        "{% load static %}{{ settings.SECRET_KEY }} {{ prenom|upper }} Zoé"
    )


def _watch(title, *, kind=WatchKind.FUNDING_CALL, deadline_in=20, status="published", **fields):
    return WatchItem.objects.create(
        kind=kind,
        title=title,
        slug=title.lower().replace(" ", "-"),
        status=status,
        deadline=timezone.localdate() + datetime.timedelta(days=deadline_in),
        funder="AFD",
        **fields,
    )


def test_blocks_pull_open_watch_items_upcoming_events_and_published_news():
    _watch("Appel FRIO", deadline_in=30)
    _watch("Appel PRA OSIM", deadline_in=5, summary="Pour les <OSIM> & diasporas")
    _watch("Appel clos", deadline_in=-1)
    _watch("Appel à qualifier", status="to_qualify")
    _watch("Offre de stage", kind=WatchKind.JOB)
    make_event("formation-ecsi", title="Formation ECSI")
    make_event("brouillon", title="Brouillon", status=Event.Status.DRAFT)
    make_event("passee", title="Rencontre passée", starts_in=datetime.timedelta(days=-10))
    NewsItem.objects.create(
        title="Nouvelle structure", slug="nouvelle", body="x", is_published=True,
        published_at=timezone.now(),
    )  # fmt: skip
    NewsItem.objects.create(title="Cachée", slug="cachee", body="x", is_published=False)

    html, text = render_blocks(
        [
            {
                "type": "watch",
                "title": "Appels à projets ouverts",
                "count": 5,
                "kinds": ["funding_call"],
            },
            {"type": "events", "count": 3},
            {"type": "news", "count": 3},
            {"type": "unknown"},
        ]  # fmt: skip
    )

    assert html.index("Appel PRA OSIM") < html.index("Appel FRIO")  # soonest deadline first
    assert "Pour les &lt;OSIM&gt; &amp; diasporas" in html
    for absent in ("Appel clos", "Appel à qualifier", "Offre de stage", "Brouillon", "Cachée",
                   "Rencontre passée"):  # fmt: skip
        assert absent not in html and absent not in text
    assert "Formation ECSI" in html and "/evenements/formation-ecsi/" in html
    assert "Nouvelle structure" in text and "http://testserver" not in text
    assert "== Appels à projets ouverts ==" in text and "* Formation ECSI" in text


def test_blocks_count_and_theme_filter(make_campaign):
    from observatoire.core.testing import ensure_reference_data
    from observatoire.referentials.models import Theme

    ensure_reference_data()
    water = Theme.objects.get(slug="water-sanitation")
    for number in range(4):
        item = _watch(f"Appel eau {number}", deadline_in=10 + number)
        item.themes.add(water)
    _watch("Appel santé")

    html, _text = render_blocks([{"type": "watch", "count": 2, "theme": water.slug}])

    assert "Appel eau 0" in html and "Appel eau 1" in html
    assert "Appel eau 2" not in html and "Appel santé" not in html


def test_message_has_text_and_html_versions_with_footer(make_campaign):
    campaign = make_campaign(
        body='<p>Bonjour {{ prenom }}, <a href="https://example.org/x">lire</a></p>'
    )
    rendered = render_message(
        campaign,
        Person("a@example.org", "Awa"),
        blocks=("", ""),
        unsubscribe_url="https://site.example/lettre/desinscription/abc/",
        web_url="https://site.example/lettre/archives/lettre/",
    )

    assert "Bonjour Awa, lire (https://example.org/x)" in rendered.text
    assert "https://site.example/lettre/desinscription/abc/" in rendered.text
    assert 'href="https://example.org/x"' in rendered.html
    assert "https://site.example/lettre/archives/lettre/" in rendered.html
    assert "/lettre/o/" not in rendered.html  # no tracking asked
    assert Campaign.objects.count() == 1
