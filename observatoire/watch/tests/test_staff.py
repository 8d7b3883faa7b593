import pytest
from django.urls import reverse

from observatoire.core.testing import make_organization, make_user
from observatoire.referentials.models import Theme
from observatoire.watch.models import WatchFeed, WatchItem, WatchItemSource

from .conftest import Answer
from .factories import make_item

pytestmark = pytest.mark.django_db


def logged_in(client, role: str, **fields):
    user = make_user(role, **fields)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("administrator", 200, 302),
        ("staff", 200, 302),
        ("observatory", 200, 403),  # reads the queue and the feeds, changes nothing
        ("organization_editor", 403, 403),
    ],
)
def test_who_may_use_the_staff_pages(client, role, read, write):
    fields = {"organization": make_organization()} if role == "organization_editor" else {}
    logged_in(client, role, **fields)
    item = make_item(publish=False)
    for url in [
        reverse("watch_staff:queue"),
        reverse("watch_staff:item_edit", args=[item.pk]),
        reverse("watch_staff:feeds"),
    ]:
        assert client.get(url).status_code == read, url
    response = client.post(reverse("watch_staff:item_discard", args=[item.pk]))
    assert response.status_code == write
    item.refresh_from_db()
    assert (item.status == WatchItem.Status.DISCARDED) == (write == 302)
    assert client.get(reverse("watch_staff:item_create")).status_code == (
        200 if write == 302 else 403
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    item = make_item(publish=False)
    for url in [
        reverse("watch_staff:queue"),
        reverse("watch_staff:item_edit", args=[item.pk]),
        reverse("watch_staff:feeds"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/compte/" in response.url
    client.post(reverse("watch_staff:item_discard", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == WatchItem.Status.TO_QUALIFY


def test_the_queue_has_tabs_with_counts_and_shows_where_items_were_seen(
    client, django_assert_max_num_queries
):
    logged_in(client, "staff")
    feed = WatchFeed.objects.create(name="Flux de l'AFD", url="https://afd.example.org/rss")
    for number in range(12):
        item = make_item(f"À qualifier {number}", publish=False)
        WatchItemSource.objects.create(item=item, feed=feed, guid=str(number))
    make_item("En ligne")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("watch_staff:queue"))
    html = response.content.decode()
    assert "À qualifier (12)" in html and "Publiées (1)" in html
    assert "Expirées (0)" in html and "Écartées (0)" in html
    assert "Flux de l&#x27;AFD" in html
    response = client.get(reverse("watch_staff:queue"), {"statut": "published"})
    assert [i.title for i in response.context["page"].object_list] == ["En ligne"]
    assert client.get(reverse("watch_staff:queue"), {"statut": "x", "page": "y"}).status_code == 200


def test_quick_entry_keeps_what_was_typed_and_explains_errors_in_french(client):
    logged_in(client, "staff")
    response = client.post(
        reverse("watch_staff:item_create"),
        {
            "kind": "funding_call",
            "title": "Fonds régional FRIO",
            "language": "fr",
            "opens_on": "2027-03-01",
            "deadline": "2027-02-01",
            "amount_min": "20000",
            "amount_max": "5000",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Fonds régional FRIO"' in html
    assert "La date limite ne peut pas précéder la date d’ouverture." in html
    assert "Le montant maximum ne peut pas être inférieur au minimum." in html
    assert 'aria-describedby="id_deadline_error' in html
    assert not WatchItem.objects.exists()


def test_staff_enter_and_publish_an_item_in_one_step(client):
    staff = logged_in(client, "staff")
    water = Theme.objects.get(slug="water-sanitation")
    response = client.post(
        reverse("watch_staff:item_create"),
        {
            "kind": "funding_call",
            "title": "Fonds régional FRIO",
            "language": "fr",
            "deadline": "2099-03-01",
            "themes": [water.pk],
            "zones": ["AF"],
            "publish": "1",
        },
    )
    assert response.status_code == 302
    item = WatchItem.objects.get()
    assert item.status == WatchItem.Status.PUBLISHED and item.qualified_by == staff
    assert list(item.themes.all()) == [water] and item.zones == ["AF"]


def test_qualify_edits_and_publishes_from_the_same_screen(client):
    logged_in(client, "staff")
    item = make_item("Titre du flux", publish=False, days_left=None)
    url = reverse("watch_staff:item_edit", args=[item.pk])
    assert "Titre du flux" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "training",
            "title": "Formation cycle de projet",
            "language": "fr",
            "publish": "1",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.kind, item.status) == (
        "Formation cycle de projet",
        "training",
        WatchItem.Status.PUBLISHED,
    )


def test_merge_from_the_item_page(client):
    logged_in(client, "staff")
    survivor = make_item("FRIO 2027")
    duplicate = make_item("FRIO 2027 (bis)", publish=False)
    response = client.post(
        reverse("watch_staff:item_merge", args=[duplicate.pk]), {"survivor": survivor.pk}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    bad = client.post(reverse("watch_staff:item_merge", args=[survivor.pk]), {"survivor": "x"})
    assert bad.status_code == 400


def test_staff_add_a_feed_and_read_it_now(client, feed_server):
    logged_in(client, "staff")
    feed_server.answers["/rss"] = Answer(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        b"<item><title>Appel FRIO</title><link>https://r.example.org/frio</link>"
        b"<guid>1</guid></item></channel></rss>"
    )
    bad = client.post(
        reverse("watch_staff:feed_create"),
        {"name": "Région", "url": "ftp://r.example.org/", "default_kind": "funding_call",
         "interval": "6:00:00", "is_active": "on"},
    )  # fmt: skip
    assert bad.status_code == 200 and not WatchFeed.objects.exists()
    assert "Seules les adresses http et https peuvent être lues." in bad.content.decode()
    too_often = client.post(
        reverse("watch_staff:feed_create"),
        {"name": "Région", "url": feed_server.url("/rss"), "default_kind": "funding_call",
         "interval": "0:01:00", "is_active": "on"},
    )  # fmt: skip
    assert "au plus tous les quarts d’heure" in too_often.content.decode()
    response = client.post(
        reverse("watch_staff:feed_create"),
        {"name": "Région", "url": feed_server.url("/rss"), "default_kind": "funding_call",
         "interval": "6:00:00", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    feed = WatchFeed.objects.get()

    response = client.post(reverse("watch_staff:feed_read", args=[feed.pk]), follow=True)

    assert WatchItem.objects.get().title == "Appel FRIO"
    assert "Région" in response.content.decode()
    client.post(reverse("watch_staff:feed_toggle", args=[feed.pk]))
    feed.refresh_from_db()
    assert not feed.is_active
