"""The requester's links: confirming the address, then seeing and completing the request."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from observatoire.referencing import services
from observatoire.referencing.models import ReferencingRequest
from observatoire.referencing.tokens import CONFIRM, FOLLOW, request_token

from .conftest import form_data
from .factories import make_request

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0).split("testserver", 1)[-1]


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_confirming_the_address_puts_the_request_in_the_queue(
    client, staff, django_capture_on_commit_callbacks
):
    referencing_request = make_request(confirmed=False)
    confirm = reverse("referencing:confirm", args=[request_token(referencing_request, CONFIRM)])
    response = client.get(confirm)
    assert response.status_code == 200
    referencing_request.refresh_from_db()
    assert referencing_request.email_confirmed_at is None  # a link preview confirms nothing

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm)
    assert response.status_code == 302
    follow = reverse("referencing:follow", args=[request_token(referencing_request, FOLLOW)])
    assert response["Location"] == follow
    referencing_request.refresh_from_db()
    assert referencing_request.email_confirmed_at is not None
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(["mariam.diallo@example.org", staff.email])
    to_requester = next(m for m in mail.outbox if m.to == ["mariam.diallo@example.org"])
    assert path_of(re.search(r"https?://\S+", to_requester.body).group(0)) == follow
    assert to_requester.reply_to == ["contact@example.org"]
    to_staff = next(m for m in mail.outbox if m.to == [staff.email])
    assert f"/gestion/referencing/referencingrequest/{referencing_request.pk}/" in to_staff.body

    # Opening the link again goes to the request, and sends nothing more.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm)["Location"] == follow
    assert mail.outbox == []


@pytest.mark.parametrize("view", ["referencing:confirm", "referencing:follow"])
def test_a_wrong_link_says_so(client, view):
    referencing_request = make_request(confirmed=False)
    good = request_token(referencing_request, CONFIRM)
    for token in ("abc", good[:-3] + "xyz", good if view.endswith("follow") else "x:y:z"):
        response = client.get(reverse(view, args=[token]))
        assert response.status_code == 404
        assert "link" in response.content.decode().lower() or "lien" in response.content.decode()


def test_a_revoked_secret_invalidates_the_links(client):
    referencing_request = make_request()
    token = request_token(referencing_request, FOLLOW)
    ReferencingRequest.objects.filter(pk=referencing_request.pk).update(secret="new-secret")
    assert client.get(reverse("referencing:follow", args=[token])).status_code == 404


def test_the_requester_completes_a_request_waiting_for_them(
    client, staff, django_capture_on_commit_callbacks
):
    referencing_request = make_request()
    services.referencing_request_ask_information(
        referencing_request=referencing_request, message="Votre numéro RNA ?", by=staff
    )
    follow = reverse("referencing:follow", args=[request_token(referencing_request, FOLLOW)])
    response = client.get(follow)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Votre numéro RNA ?" in html
    assert 'value="Association Kalo Diarra"' in html
    assert 'value="Mariam"' in html
    assert 'value="Bordeaux (33000)"' in html

    data = form_data(
        name="Association Kalo Diarra Gironde",
        rna="W332009999",
        **{"contacts-INITIAL_FORMS": "1"},
    )
    data.pop("started")
    # A wrong value is explained and the request is unchanged.
    response = client.post(follow, {**data, "rna": "123"})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(follow, data)
    assert response.status_code == 302
    referencing_request.refresh_from_db()
    assert referencing_request.name == "Association Kalo Diarra Gironde"
    assert referencing_request.rna == "W332009999"
    assert referencing_request.state == ReferencingRequest.State.NEW
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_a_handled_request_is_shown_but_no_longer_changes(client, staff):
    referencing_request = make_request()
    services.referencing_request_reject(
        referencing_request=referencing_request, reason="Hors région.", by=staff
    )
    follow = reverse("referencing:follow", args=[request_token(referencing_request, FOLLOW)])
    response = client.get(follow)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hors région." in html
    assert '<form method="post" class="referencing-form"' not in html
    response = client.post(follow, form_data(name="Changement"))
    assert response.status_code == 200
    referencing_request.refresh_from_db()
    assert referencing_request.name == "Association Kalo Diarra"


def test_the_confirmation_really_leaves_by_smtp(
    client, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("referencing:form"), form_data())
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "mariam.diallo@example.org"
    body = message.get_body(preferencelist=("plain",)).get_content()
    confirm = path_of(re.search(r"https?://\S+/confirmer/\S+", body).group(0))
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(confirm).status_code == 302
    assert ReferencingRequest.objects.get().email_confirmed_at is not None
    assert len(smtp_server.messages) == 2  # the follow-up link (no staff in this database)
