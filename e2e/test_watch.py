"""Staff qualify a collected item from the watch queue; the public finds it with a filter."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from e2e.accessibility import assert_accessible
from observatoire.watch import services
from observatoire.watch.models import WatchFeed, WatchItemSource

pytestmark = pytest.mark.browser


def test_staff_qualify_an_item_and_the_public_finds_it_by_theme(staff_page):
    page = staff_page
    feed = WatchFeed.objects.create(
        name="Flux de la Région", url="https://flux.example.org/region.xml", is_active=False
    )
    item = services.watch_item_create(
        user=None,
        kind="news",
        title="Fonds régional coopération 2027",
        summary="Soutien aux projets de solidarité internationale.",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    WatchItemSource.objects.create(item=item, feed=feed, guid="r-1")
    services.watch_item_create(
        user=None, kind="job", title="Offre sans rapport", publish=True, deadline=None
    )

    page.goto(reverse("watch_staff:queue"))
    expect(page.get_by_role("link", name="À qualifier (1)")).to_be_visible()
    expect(page.get_by_role("cell", name="Flux de la Région")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Qualifier — Fonds régional coopération 2027").click()
    assert_accessible(page)

    page.select_option("#id_kind", "funding_call")
    page.fill("#id_funder", "Région Nouvelle-Aquitaine")
    page.get_by_label("Eau, assainissement et hygiène").check()
    page.get_by_role("button", name="Enregistrer et publier").click()
    expect(page.get_by_text("« Fonds régional coopération 2027 » est publiée.")).to_be_visible()

    page.goto(reverse("watch:list"))
    assert_accessible(page)
    page.select_option("#watch-theme", "water-sanitation")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"theme=water-sanitation"))
    cards = page.locator(".watch-item")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Fonds régional coopération 2027")
    expect(cards.first).to_contain_text("J-5")
    expect(cards.first).to_contain_text("Région Nouvelle-Aquitaine")

    cards.first.get_by_role("link", name="Fonds régional coopération 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fonds régional coopération 2027")
    expect(page.get_by_text("Eau, assainissement et hygiène")).to_be_visible()
    assert_accessible(page)
