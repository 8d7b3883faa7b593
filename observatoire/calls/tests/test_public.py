import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.calls.models import Call, Stage
from observatoire.calls.testing import make_call

pytestmark = pytest.mark.django_db


def test_open_calls_come_first_then_upcoming_then_closed(client, django_assert_max_num_queries):
    closed = make_call(title="Fonds mobilité jeunesse 2025", open_now=False)
    upcoming = make_call(title="Fonds climat", fields=False)
    stage = upcoming.first_stage()
    stage.opens_at = timezone.now() + datetime.timedelta(days=5)
    stage.closes_at = timezone.now() + datetime.timedelta(days=40)
    stage.save()
    opened = make_call(title="Fonds micro-projets 2027")
    make_call(title="Brouillon caché", is_published=False)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("calls:list"))
    assert [call.pk for call in response.context["calls"]] == [opened.pk, upcoming.pk, closed.pk]
    assert "Brouillon caché" not in response.content.decode()


def test_the_call_page_states_the_deadline_in_paris_time(client):
    call = make_call()
    Stage.objects.filter(call=call).update(
        closes_at=datetime.datetime(2027, 3, 15, 11, 0, tzinfo=datetime.UTC)
    )
    page = client.get(call.get_absolute_url()).content.decode()
    assert "jusqu'au 15 mars 2027 à 12 h 00, heure de Paris" in page
    assert "Déposer une candidature" in page


def test_a_summer_deadline_is_in_summer_time(client):
    call = make_call()
    Stage.objects.filter(call=call).update(
        closes_at=datetime.datetime(2027, 7, 1, 10, 0, tzinfo=datetime.UTC)
    )
    assert "1 juillet 2027 à 12 h 00" in client.get(call.get_absolute_url()).content.decode()


def test_a_closed_call_offers_no_apply_button(client):
    call = make_call(open_now=False)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Déposer une candidature" not in page
    assert "sont closes" in page


def test_unknown_query_parameters_and_a_draft_call(client):
    call = make_call(status=Call.Status.DRAFT)
    assert client.get(call.get_absolute_url()).status_code == 404
    assert client.get(reverse("calls:list"), {"page": "x", "foo": "bar"}).status_code == 200
