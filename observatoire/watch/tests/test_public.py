import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.referentials.models import Country, OrganizationKind, Theme
from observatoire.watch import services
from observatoire.watch.models import WatchItem

from .factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def items():
    water = Theme.objects.get(slug="water-sanitation")
    health = Theme.objects.get(slug="health")
    senegal = Country.objects.get(iso2="SN")
    association = OrganizationKind.objects.get(slug="association")
    commune = OrganizationKind.objects.get(slug="commune")
    return {
        "water": make_item(
            "Programme 1 % eau",
            days_left=5,
            funder="Agence de l'eau Adour-Garonne",
            amount_max=50000,
            eligibility={
                "themes": [water],
                "countries": [senegal],
                "organization_kinds": [commune],
            },
        ),
        "africa": make_item(
            "FISONG santé",
            days_left=20,
            zones=["AF"],
            eligibility={"themes": [health], "organization_kinds": [association]},
        ),
        "asia": make_item("Appel Asie", days_left=60, zones=["AS"]),
        "anywhere": make_item("Offre de VSI", kind=WatchItem.Kind.VOLUNTEERING, days_left=None),
        "draft": make_item("Brouillon", publish=False),
    }


def titles(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list]


def test_the_list_shows_open_published_items_soonest_first_with_urgency(client, items):
    response = client.get(reverse("watch:list"))
    assert titles(response) == ["Programme 1 % eau", "FISONG santé", "Appel Asie", "Offre de VSI"]
    html = response.content.decode()
    assert "J-5" in html
    assert 'rel="noopener nofollow external"' not in html or "Voir la source" in html
    assert 'type="application/rss+xml"' in html and reverse("watch:rss") in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type": "volunteering"}, ["Offre de VSI"]),
        ({"echeance": "7"}, ["Programme 1 % eau"]),
        ({"echeance": "31"}, ["Programme 1 % eau", "FISONG santé"]),
        ({"theme": "health"}, ["FISONG santé"]),
        # Open to Senegal itself, to Africa as a zone, or to anywhere.
        ({"pays": "SN"}, ["Programme 1 % eau", "FISONG santé", "Offre de VSI"]),
        ({"pays": "VN"}, ["Appel Asie", "Offre de VSI"]),
        # An item listing no kind of organisation is open to every kind.
        ({"structure": "association"}, ["FISONG santé", "Appel Asie", "Offre de VSI"]),
        ({"q": "adour garonne"}, ["Programme 1 % eau"]),
        ({"q": "SANTE"}, ["FISONG santé"]),
    ],
)
def test_filters(client, items, query, expected):
    assert titles(client.get(reverse("watch:list"), query)) == expected


def test_a_deadline_before_a_date(client, items):
    before = (timezone.localdate() + datetime.timedelta(days=21)).isoformat()
    assert titles(client.get(reverse("watch:list"), {"avant": before})) == [
        "Programme 1 % eau",
        "FISONG santé",
    ]


@pytest.mark.parametrize(
    "query",
    [
        {"type": "n'importe"},
        {"echeance": "365"},
        {"avant": "2027-02-31"},
        {"avant": "demain"},
        {"pays": "<script>"},
        {"structure": "inconnue", "theme": "x" * 500},
        {"page": "abc"},
        {"page": "9999"},
        {"inconnu": "1", "q": "\x00"},
    ],
)
def test_bad_parameters_are_ignored_never_a_500(client, items, query):
    response = client.get(reverse("watch:list"), query)
    assert response.status_code == 200


def test_the_list_reads_a_bounded_number_of_queries(client, items, django_assert_max_num_queries):
    for number in range(15):
        make_item(f"Appel {number}", days_left=number + 1, zones=["AF"])
    with django_assert_max_num_queries(20):
        client.get(reverse("watch:list"), {"pays": "SN", "structure": "association"})


def test_an_item_page_shows_its_facts_and_source(client, items):
    response = client.get(items["water"].get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Agence de l&#x27;eau Adour-Garonne" in html
    assert "Sénégal" in html and "noindex" not in html


def test_an_expired_item_stays_reachable_closed_and_not_indexed(client, items):
    item = items["africa"]
    WatchItem.objects.filter(pk=item.pk).update(
        status=WatchItem.Status.EXPIRED, deadline=datetime.date(2020, 1, 1)
    )
    response = client.get(item.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cet appel est clos" in html
    assert '<meta name="robots" content="noindex">' in html
    assert item.title not in titles(client.get(reverse("watch:list")))


def test_items_to_qualify_or_discarded_are_not_found(client, items):
    assert client.get(items["draft"].get_absolute_url()).status_code == 404
    services.watch_item_discard(item=items["asia"], user=None)
    assert client.get(items["asia"].get_absolute_url()).status_code == 404


def test_a_merged_duplicate_redirects_to_the_item_kept(client, items):
    duplicate = make_item("Doublon de l'eau")
    services.watch_item_merge(duplicate=duplicate, survivor=items["water"], user=None)
    response = client.get(duplicate.get_absolute_url())
    assert response.status_code == 301 and response.url == items["water"].get_absolute_url()


def test_text_with_markup_is_shown_escaped(client):
    item = make_item('<script>alert("x")</script> Appel', summary="<img src=x onerror=alert(1)>")
    html = client.get(item.get_absolute_url()).content.decode()
    html += client.get(reverse("watch:list")).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("name", ["watch:rss", "watch:atom"])
def test_the_feeds_list_open_items_and_apply_the_filters(client, items, name):
    everything = feedparser.parse(client.get(reverse(name)).content)
    assert not everything.bozo
    assert [entry.title for entry in everything.entries] == [
        "Programme 1 % eau",
        "FISONG santé",
        "Appel Asie",
        "Offre de VSI",
    ]
    assert everything.entries[0].link.endswith(items["water"].get_absolute_url())

    filtered = feedparser.parse(client.get(reverse(name), {"theme": "health"}).content)
    assert [entry.title for entry in filtered.entries] == ["FISONG santé"]


def test_the_sitemap_lists_the_page_and_open_items(client, items):
    index = client.get("/sitemap.xml").content.decode()
    assert "opportunites" in index
    section = client.get("/sitemap-opportunites.xml").content.decode()
    assert items["water"].get_absolute_url() in section
    assert items["draft"].get_absolute_url() not in section
