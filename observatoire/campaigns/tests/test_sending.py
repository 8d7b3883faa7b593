"""The sending engine against a real SMTP server: headers, one copy per address, suppressions,
retries with back-off, permanent failures, interrupted runs and consent to measurement."""

import datetime

import pytest
from django.utils import timezone

from observatoire.campaigns import services
from observatoire.campaigns.models import Campaign, Delivery
from observatoire.newsletters import services as newsletter_services

from . import smtp
from .conftest import send_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def scripted(settings):
    started = []

    def start(answer):
        controller, handler = smtp.start(settings, answer)
        started.append(controller)
        return handler

    yield start
    for controller in started:
        controller.stop()


def by_address(messages) -> dict:
    found: dict = {}
    for message in messages:
        found.setdefault(message["To"], []).append(message)
    return found


def test_each_message_is_multipart_with_unsubscribe_headers(
    smtp_server, make_list, subscribe, make_campaign, django_capture_on_commit_callbacks
):
    newsletter = make_list("Lettre")
    subscribe(newsletter, "Awa.Diallo@Example.org", first_name="Awa")
    campaign = make_campaign(
        lists=[newsletter], from_name="Réseau NA", reply_to="equipe@reseau.example.org"
    )

    campaign = send_now(campaign, django_capture_on_commit_callbacks)

    assert campaign.status == Campaign.Status.SENT and campaign.finished_at
    [message] = smtp_server.messages
    delivery = Delivery.objects.get()
    assert message["To"] == "awa.diallo@example.org"
    assert message["Subject"] == "La lettre du réseau — mars"
    assert message["From"].startswith("Réseau NA <")
    assert message["Reply-To"] == "equipe@reseau.example.org"
    assert message["Message-ID"] == delivery.message_id
    assert delivery.token in delivery.message_id
    one_click, mailto = (part.strip(" <>") for part in str(message["List-Unsubscribe"]).split(","))
    assert one_click.startswith("https://reseau.example.org/lettre/desabonnement/")
    assert mailto.startswith("mailto:")
    assert newsletter_services.read_unsubscribe_token(one_click.rstrip("/").rsplit("/", 1)[1]) == (
        "awa.diallo@example.org",
        newsletter.pk,
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Bonjour Awa," in text and one_click in text
    assert "Bonjour Awa," in html and one_click in html
    assert f"/lettre/v/{delivery.token}/" in html  # the campaign is not in the public archive
    assert delivery.status == Delivery.Status.SENT and delivery.sent_at


def test_an_address_on_several_lists_receives_one_copy(
    smtp_server, make_list, subscribe, make_campaign, django_capture_on_commit_callbacks
):
    first, second = make_list(), make_list()
    for mailing_list in (first, second):
        subscribe(mailing_list, "awa@example.org")
    subscribe(second, "binta@example.org")
    campaign = make_campaign(lists=[first, second])

    send_now(campaign, django_capture_on_commit_callbacks)
    # A second run (a duplicate task, a restart) sends nothing more.
    services.campaign_send(campaign_id=campaign.pk)

    assert sorted(m["To"] for m in smtp_server.messages) == ["awa@example.org", "binta@example.org"]
    assert campaign.deliveries.count() == 2


def test_addresses_suppressed_after_materialisation_are_skipped(
    smtp_server, make_list, subscribe, make_campaign
):
    newsletter = make_list()
    for address in ("awa@example.org", "binta@example.org", "chloe@example.org"):
        subscribe(newsletter, address)
    campaign = make_campaign(lists=[newsletter])
    services.deliveries_materialize(campaign=campaign)
    newsletter_services.suppress(address="binta@example.org", reason="unsubscribed", source="test")
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING)

    services.campaign_send(campaign_id=campaign.pk)

    assert sorted(m["To"] for m in smtp_server.messages) == ["awa@example.org", "chloe@example.org"]
    assert Delivery.objects.get(address="binta@example.org").status == Delivery.Status.SKIPPED
    # Unsubscribed before the campaign: never even materialised.
    newsletter_services.suppress(address="awa@example.org", reason="unsubscribed", source="test")
    later = make_campaign(lists=[newsletter], name="Avril")
    services.deliveries_materialize(campaign=later)
    assert list(later.deliveries.values_list("address", flat=True)) == ["chloe@example.org"]


def test_a_temporary_failure_is_retried_with_back_off(
    scripted, make_list, subscribe, make_campaign, django_capture_on_commit_callbacks
):
    server = scripted(
        lambda address, attempt: (
            "451 4.3.0 Try later" if attempt == 1 and address.startswith("awa") else None
        )
    )
    newsletter = make_list()
    subscribe(newsletter, "awa@example.org")
    subscribe(newsletter, "binta@example.org")
    campaign = send_now(make_campaign(lists=[newsletter]), django_capture_on_commit_callbacks)

    awa = Delivery.objects.get(address="awa@example.org")
    assert awa.status == Delivery.Status.PENDING and awa.attempts == 1
    assert "451" in awa.last_error
    delay = awa.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < delay <= datetime.timedelta(minutes=1)
    assert campaign.status == Campaign.Status.SENDING  # not finished while a retry is due
    assert [m["To"] for m in server.messages] == ["binta@example.org"]

    # Before the delay, the sweep's run sends nothing; after it, the message leaves.
    services.campaign_send(campaign_id=campaign.pk)
    assert len(server.messages) == 1
    Delivery.objects.filter(pk=awa.pk).update(next_attempt_at=timezone.now())
    services.campaign_send(campaign_id=campaign.pk)

    assert sorted(m["To"] for m in server.messages) == ["awa@example.org", "binta@example.org"]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_back_off_grows_then_the_delivery_fails_with_its_error(
    scripted, make_list, subscribe, make_campaign, django_capture_on_commit_callbacks
):
    scripted(lambda address, attempt: "421 4.7.0 Too many connections")
    newsletter = make_list()
    subscribe(newsletter, "awa@example.org")
    campaign = send_now(make_campaign(lists=[newsletter]), django_capture_on_commit_callbacks)

    delays = []
    for _attempt in range(4):
        delivery = Delivery.objects.get()
        delays.append(round((delivery.next_attempt_at - timezone.now()).total_seconds() / 60))
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        services.campaign_send(campaign_id=campaign.pk)

    delivery = Delivery.objects.get()
    assert delays == [1, 5, 30, 120]
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 5
    assert "421" in delivery.last_error
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_a_permanent_failure_fails_that_recipient_only(
    scripted, make_list, subscribe, make_campaign, django_capture_on_commit_callbacks
):
    server = scripted(
        lambda address, attempt: (
            "550 5.1.1 No such user" if address == "ghost@example.org" else None
        )
    )
    newsletter = make_list()
    for address in ("awa@example.org", "ghost@example.org", "binta@example.org"):
        subscribe(newsletter, address)

    campaign = send_now(make_campaign(lists=[newsletter]), django_capture_on_commit_callbacks)

    assert sorted(m["To"] for m in server.messages) == ["awa@example.org", "binta@example.org"]
    ghost = Delivery.objects.get(address="ghost@example.org")
    assert ghost.status == Delivery.Status.FAILED and "550" in ghost.last_error
    assert campaign.status == Campaign.Status.SENT


def test_a_row_claimed_by_a_dead_run_becomes_uncertain_and_is_resent_only_on_request(
    smtp_server, make_list, subscribe, make_campaign, django_capture_on_commit_callbacks
):
    newsletter = make_list()
    for address in ("awa@example.org", "binta@example.org", "chloe@example.org"):
        subscribe(newsletter, address)
    campaign = make_campaign(lists=[newsletter])
    services.deliveries_materialize(campaign=campaign)
    # A worker was killed after claiming Binta's message and before recording the server's answer.
    Delivery.objects.filter(address="binta@example.org").update(
        status=Delivery.Status.SENDING, claimed_by="dead-run", claimed_at=timezone.now()
    )
    Delivery.objects.filter(address="awa@example.org").update(status=Delivery.Status.SENT)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENDING,
        lease_owner="dead-run",
        lease_until=timezone.now() - datetime.timedelta(seconds=1),
    )

    assert services.sweep() == [campaign.pk]  # the lease expired: the sweep resumes it

    assert [m["To"] for m in smtp_server.messages] == ["chloe@example.org"]
    binta = Delivery.objects.get(address="binta@example.org")
    assert binta.status == Delivery.Status.UNCERTAIN
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT

    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliveries_resend_uncertain(campaign=campaign) == 1

    assert [m["To"] for m in smtp_server.messages] == ["chloe@example.org", "binta@example.org"]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT


def test_a_live_run_holding_the_lease_is_not_disturbed(make_list, subscribe, make_campaign):
    newsletter = make_list()
    subscribe(newsletter, "awa@example.org")
    campaign = make_campaign(lists=[newsletter])
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENDING,
        lease_owner="live-run",
        lease_until=timezone.now() + datetime.timedelta(seconds=60),
    )

    assert services.campaign_send(campaign_id=campaign.pk) == {"busy": True}
    assert services.sweep() == []
    assert not Delivery.objects.exists()


def test_paused_and_cancelled_campaigns_send_nothing_more(
    smtp_server, make_list, subscribe, make_campaign, django_capture_on_commit_callbacks
):
    newsletter = make_list()
    subscribe(newsletter, "awa@example.org")
    campaign = make_campaign(lists=[newsletter])
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.PAUSED)

    services.campaign_send(campaign_id=campaign.pk)
    assert smtp_server.messages == []

    campaign.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.campaign_resume(campaign=campaign)
    assert [m["To"] for m in smtp_server.messages] == ["awa@example.org"]

    other = make_campaign(lists=[newsletter], name="Avril")
    services.campaign_schedule(campaign=other, at=timezone.now() + datetime.timedelta(hours=1))
    services.campaign_cancel(campaign=other)
    services.sweep(now=timezone.now() + datetime.timedelta(hours=2))
    assert len(smtp_server.messages) == 1


def test_a_scheduled_campaign_starts_when_due(smtp_server, make_list, subscribe, make_campaign):
    newsletter = make_list()
    subscribe(newsletter, "awa@example.org")
    campaign = make_campaign(lists=[newsletter])
    at = timezone.now() + datetime.timedelta(minutes=30)
    services.campaign_schedule(campaign=campaign, at=at)

    assert services.sweep() == []
    assert smtp_server.messages == []
    services.sweep(now=at + datetime.timedelta(seconds=1))

    assert [m["To"] for m in smtp_server.messages] == ["awa@example.org"]


def test_measurement_only_for_recipients_who_consented(
    smtp_server, make_list, subscribe, make_campaign, django_capture_on_commit_callbacks
):
    newsletter = make_list()
    subscribe(newsletter, "tracked@example.org", tracking=True)
    subscribe(newsletter, "private@example.org", tracking=False)
    campaign = make_campaign(
        lists=[newsletter], body='<p>Lire <a href="https://example.org/appel">l\'appel</a></p>'
    )

    send_now(campaign, django_capture_on_commit_callbacks)

    messages = by_address(smtp_server.messages)
    tracked = messages["tracked@example.org"][0].get_body(("html",)).get_content()
    private = messages["private@example.org"][0].get_body(("html",)).get_content()
    token = Delivery.objects.get(address="tracked@example.org").token
    assert f"https://reseau.example.org/lettre/o/{token}/" in tracked
    assert f"https://reseau.example.org/lettre/c/{token}/?u=" in tracked
    assert 'href="https://example.org/appel"' not in tracked
    assert "/lettre/o/" not in private and "/lettre/c/" not in private
    assert 'href="https://example.org/appel"' in private


def test_bounces_mark_the_delivery(smtp_server, make_list, subscribe, make_campaign,
                                   django_capture_on_commit_callbacks):  # fmt: skip
    newsletter = make_list()
    subscribe(newsletter, "awa@example.org")
    subscribe(newsletter, "binta@example.org")
    campaign = send_now(make_campaign(lists=[newsletter]), django_capture_on_commit_callbacks)
    awa = Delivery.objects.get(address="awa@example.org")

    newsletter_services.record_bounce(
        address="awa@example.org", kind="hard", diagnostic="550 unknown", message_id=awa.message_id
    )
    newsletter_services.record_bounce(address="binta@example.org", kind="soft", diagnostic="452")

    statuses = dict(campaign.deliveries.values_list("address", "status"))
    assert statuses == {"awa@example.org": "bounced", "binta@example.org": "bounced"}


def test_an_unreachable_server_is_reported_and_nothing_is_lost(
    settings, make_list, subscribe, make_campaign, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.free_port()  # nobody listens
    newsletter = make_list()
    subscribe(newsletter, "awa@example.org")

    campaign = send_now(make_campaign(lists=[newsletter]), django_capture_on_commit_callbacks)

    assert campaign.status == Campaign.Status.SENDING and "injoignable" in campaign.last_error
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 0
    assert campaign.lease_owner == ""  # released: the next sweep tries again
