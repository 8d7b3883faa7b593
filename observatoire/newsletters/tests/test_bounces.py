"""Bounces: notifications parsed from a mailbox (Postfix, Exim, Gmail-shaped), the webhook."""

import json
import mailbox
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from ..bounces import parse_report, read_maildir
from ..models import Bounce, Suppression
from ..services import is_suppressed, record_bounce, register_bounce_listener

SAMPLES = Path(__file__).parent / "dsn"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_postfix_hard_bounce():
    [bounce] = parse_report(sample("postfix.eml"))
    assert bounce.address == "jean.dupont@mairie-begles.example"
    assert bounce.kind == "hard"
    assert "User unknown" in bounce.diagnostic
    assert bounce.message_id == "<campagne-12.delivery-3481@reseau-na.example>"
    assert bounce.report_id == "<20261124081203.4F2A31C0A1@mail.reseau-na.example>"


def test_exim_delay_is_soft():
    [bounce] = parse_report(sample("exim.eml"))
    assert (bounce.address, bounce.kind) == ("association@eau-vive.example", "soft")
    assert bounce.message_id == "<campagne-13.delivery-77@reseau-na.example>"


def test_gmail_failure():
    [bounce] = parse_report(sample("gmail.eml"))
    assert (bounce.address, bounce.kind) == ("ancien.benevole@gmail.example", "hard")
    assert bounce.message_id == "<campagne-12.delivery-99@reseau-na.example>"


def test_ordinary_mail_is_not_a_bounce():
    assert parse_report(sample("not_a_report.eml")) == []
    assert parse_report(b"\x00\xff garbage") == []


@pytest.mark.django_db
def test_maildir_is_read_once_and_marked(tmp_path, settings):
    box = mailbox.Maildir(tmp_path / "rebonds", create=True)
    for name in ("postfix.eml", "exim.eml", "gmail.eml", "not_a_report.eml"):
        box.add(mailbox.MaildirMessage(sample(name)))
    settings.NEWSLETTERS_BOUNCE_MAILDIR = str(tmp_path / "rebonds")
    settings.NEWSLETTERS_BOUNCE_IMAP_HOST = ""
    call_command("read_bounces")
    assert Bounce.objects.count() == 3
    assert is_suppressed(address="jean.dupont@mairie-begles.example")
    assert is_suppressed(address="ancien.benevole@gmail.example")
    assert not is_suppressed(address="association@eau-vive.example")
    assert all("S" in box.get_message(key).get_flags() for key in box.iterkeys())
    # Read again (a second worker, or the same notification copied back): nothing counted twice.
    assert read_maildir(str(tmp_path / "rebonds")) == 0
    box.add(mailbox.MaildirMessage(sample("exim.eml")))
    read_maildir(str(tmp_path / "rebonds"))
    assert Bounce.objects.count() == 3


@pytest.mark.django_db
def test_three_soft_bounces_in_thirty_days_suppress():
    for _attempt in range(2):
        record_bounce(address="plein@example.org", kind="soft", diagnostic="452 4.2.2")
    assert not is_suppressed(address="plein@example.org")
    record_bounce(address="plein@example.org", kind="soft", diagnostic="452 4.2.2")
    assert Suppression.objects.get().reason == "hard_bounce"


@pytest.mark.django_db
def test_listeners_hear_each_bounce():
    from .. import services

    heard = []

    def listener(address, kind, message_id):
        heard.append((address, kind, message_id))

    register_bounce_listener(listener)
    try:
        record_bounce(address="Gone@Example.org", kind="hard", diagnostic="550", message_id="<m@x>")
    finally:
        services._bounce_listeners.remove(listener)
    assert heard == [("gone@example.org", "hard", "<m@x>")]


@pytest.fixture
def webhook(settings):
    settings.NEWSLETTERS_BOUNCE_WEBHOOK_SECRET = "s3cret-long-enough"
    return reverse("newsletters:bounce_webhook", args=["s3cret-long-enough"])


@pytest.mark.django_db
def test_webhook_records_one_or_many(client, webhook):
    one = {
        "address": "gone@example.org",
        "kind": "hard",
        "diagnostic": "550 5.1.1",
        "message_id": "<a@b>",
    }
    response = client.post(webhook, json.dumps(one), content_type="application/json")
    assert response.json() == {"recorded": 1}
    many = [
        {"address": "full@example.org", "kind": "soft"},
        {"address": "x@example.org", "kind": "hard"},
    ]
    assert client.post(webhook, json.dumps(many), content_type="application/json").json() == {
        "recorded": 2
    }
    assert is_suppressed(address="gone@example.org")
    assert Bounce.objects.get(address="gone@example.org").message_id == "<a@b>"


@pytest.mark.django_db
def test_webhook_refuses_bad_input(client, webhook, settings):
    wrong = reverse("newsletters:bounce_webhook", args=["wrong"])
    assert client.post(wrong, "{}", content_type="application/json").status_code == 404
    for body in (
        "{not json",
        json.dumps({"address": "nope", "kind": "hard"}),
        json.dumps({"address": "a@example.org", "kind": "maybe"}),
        json.dumps([1]),
    ):
        response = client.post(webhook, body, content_type="application/json")
        assert response.status_code == 400
        assert "error" in response.json()
    assert Bounce.objects.count() == 0
    settings.NEWSLETTERS_BOUNCE_WEBHOOK_SECRET = ""
    empty = reverse("newsletters:bounce_webhook", args=["x"])
    assert client.post(empty, "{}", content_type="application/json").status_code == 404


class FakeIMAP:
    """Just enough of imaplib.IMAP4 for the reader: UID SEARCH, FETCH and STORE on one folder."""

    instances: list["FakeIMAP"] = []

    def __init__(self, host, port):
        self.messages = {b"7": sample("postfix.eml"), b"8": sample("not_a_report.eml")}
        self.seen: set[bytes] = set()
        self.logged_in = self.selected = None
        FakeIMAP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def login(self, user, password):
        self.logged_in = (user, password)

    def select(self, folder):
        self.selected = folder

    def uid(self, command, *args):
        if command == "SEARCH":
            unseen = [uid for uid in self.messages if uid not in self.seen]
            return "OK", [b" ".join(unseen)]
        if command == "FETCH":
            uid = args[0]
            return "OK", [(uid + b" (UID " + uid + b" BODY[] {1}", self.messages[uid]), b")"]
        if command == "STORE":
            self.seen.add(args[0])
            return "OK", [b""]
        raise AssertionError(command)


@pytest.mark.django_db
def test_imap_box_is_read_and_marked_seen(monkeypatch, settings):
    import imaplib

    monkeypatch.setattr(imaplib, "IMAP4_SSL", FakeIMAP)
    settings.NEWSLETTERS_BOUNCE_IMAP_HOST = "imap.reseau.example"
    settings.NEWSLETTERS_BOUNCE_IMAP_USER = "rebonds"
    settings.NEWSLETTERS_BOUNCE_IMAP_PASSWORD = "secret"
    from ..bounces import read_configured_mailbox

    assert read_configured_mailbox() == 1
    server = FakeIMAP.instances[-1]
    assert server.logged_in == ("rebonds", "secret") and server.selected == "INBOX"
    assert server.seen == {b"7", b"8"}
    assert is_suppressed(address="jean.dupont@mairie-begles.example")
