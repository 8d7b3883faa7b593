"""The public news pages: list with its filter, the page of one item, the blocks for other pages."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from observatoire.core.testing import make_organization
from observatoire.organizations.models import Organization

from .factories import make_listed_organization, make_news

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_news_only_and_filters_by_source(
    client, django_assert_max_num_queries
):
    charente = make_listed_organization()
    make_news("Le réseau recrute")
    make_news("Mission à Dédougou", organization=charente)
    make_news("Brouillon en cours", published=False)
    unlisted = make_organization("Association pas encore qualifiée")
    make_news("Nouvelle d'une structure non listée", organization=unlisted)

    with django_assert_max_num_queries(4):
        page = client.get(reverse("news:list")).content.decode()
    assert "Le réseau recrute" in page and "Mission à Dédougou" in page
    assert "Brouillon en cours" not in page
    assert "non listée" not in page

    network = client.get(reverse("news:list"), {"source": "reseau"}).content.decode()
    assert "Le réseau recrute" in network and "Mission à Dédougou" not in network

    own = client.get(reverse("news:list"), {"source": charente.slug}).content.decode()
    assert "Mission à Dédougou" in own and "Le réseau recrute" not in own


@pytest.mark.parametrize(
    "query",
    [{"source": "<script>"}, {"source": "x" * 5000}, {"page": "9999"}, {"page": "'; DROP"}],
)
def test_bad_query_parameters_give_a_normal_page(client, query):
    make_news("Le réseau recrute")
    response = client.get(reverse("news:list"), query)
    assert response.status_code == 200
    assert "Le réseau recrute" in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_the_list_is_paginated(client):
    for number in range(14):
        make_news(f"Nouvelle numéro {number}")
    first = client.get(reverse("news:list")).content.decode()
    second = client.get(reverse("news:list"), {"page": 2}).content.decode()
    assert first.count('class="news-card"') == 12
    assert second.count('class="news-card"') == 2


def test_the_page_of_an_item_reads_it_in_one_query(client, django_assert_max_num_queries):
    item = make_news("Mission à Dédougou", organization=make_listed_organization())
    with django_assert_max_num_queries(1):
        assert client.get(reverse("news:detail", args=[item.slug])).status_code == 200


def test_an_unpublished_item_is_not_found(client):
    draft = make_news("Brouillon", published=False)
    assert client.get(reverse("news:detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("news:detail", args=["nulle-part"])).status_code == 404


def test_the_page_shows_the_text_as_plain_paragraphs_without_html(client):
    item = make_news(
        "Des nouvelles <b>grasses</b>",
        body="Premier paragraphe <script>alert(1)</script>.\n\nSecond paragraphe.",
    )
    page = client.get(reverse("news:detail", args=[item.slug])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>grasses</b>" not in page
    assert "<p>Second paragraphe.</p>" in page


def test_the_page_links_the_listed_organisation(client):
    charente = make_listed_organization()
    item = make_news("Mission à Dédougou", organization=charente)
    page = client.get(reverse("news:detail", args=[item.slug])).content.decode()
    assert reverse("portal:organization", args=[charente.slug]) in page


def test_the_text_keeps_the_language_it_was_written_in(client):
    english = make_news("Our partners in Togo", language="en", body="Good news from Atakpamé.")
    french = make_news("Nos partenaires au Togo", language="fr")

    page = client.get(reverse("news:detail", args=[english.slug])).content.decode()
    assert '<html lang="fr">' in page
    assert '<article class="news-item" lang="en">' in page

    page = client.get(reverse("news:detail", args=[french.slug])).content.decode()
    assert '<article class="news-item">' in page  # same as the interface: no attribute


def test_the_news_page_fills_the_open_graph_tags(client):
    item = make_news("Mission à Dédougou", summary="Une délégation est partie au Burkina Faso.")
    page = client.get(reverse("news:detail", args=[item.slug])).content.decode()
    assert '<meta property="og:title" content="Mission à Dédougou">' in page
    assert '<meta property="og:type" content="article">' in page
    assert 'content="Une délégation est partie au Burkina Faso."' in page
    url = f"http://testserver{reverse('news:detail', args=[item.slug])}"
    assert f'<meta property="og:url" content="{url}">' in page
    assert f'<link rel="canonical" href="{url}">' in page


def test_latest_news_and_organization_news_blocks():
    charente = make_listed_organization()
    other = make_organization("Ville de Tulle", status=Organization.Status.QUALIFIED)
    make_news("Le réseau recrute")
    make_news("Mission à Dédougou", organization=charente)
    make_news("Jumelage avec Dédougou", organization=other)
    make_news("Brouillon de la Charente", organization=charente, published=False)

    html = Template("{% load news_tags %}{% latest_news 2 %}").render(Context({}))
    assert html.count('class="news-card"') == 2

    html = Template("{% load news_tags %}{% organization_news organization %}").render(
        Context({"organization": charente})
    )
    assert "Mission à Dédougou" in html
    assert "Jumelage" not in html and "Brouillon" not in html and "recrute" not in html
    assert f"?source={charente.slug}" in html
