import pytest
from django.urls import reverse

from observatoire.core.testing import make_user
from observatoire.watch.models import WatchItem

from .factories import make_item

pytestmark = pytest.mark.django_db


def test_the_back_office_lists_and_changes_items_through_the_services(client):
    client.force_login(make_user("administrator"))
    item = make_item("Appel Jeunesse VI")
    assert client.get(reverse("admin:watch_watchitem_changelist")).status_code == 200
    assert client.get(reverse("admin:watch_watchitem_add")).status_code == 403
    url = reverse("admin:watch_watchitem_change", args=[item.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "title": "Appel Jeunesse VII",
            "status": "published",
            "zones": "[]",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        }
    )
    for name in ["organization_kinds", "countries", "departements", "themes", "sdgs", "needs"]:
        data.pop(name, None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.title == "Appel Jeunesse VII" and "jeunesse vii" in item.search_text
    assert WatchItem.objects.count() == 1
