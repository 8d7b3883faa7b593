"""Staff pages with the personas, the public archive, and the open and click counters."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.campaigns import services
from observatoire.campaigns.models import Campaign, Click, Delivery
from observatoire.campaigns.rendering import click_url
from observatoire.core.testing import make_organization, make_user

pytestmark = pytest.mark.django_db


def login(client, role, **fields):
    user = make_user(role, **fields)
    client.force_login(user)
    return user


@pytest.fixture
def staff_client(client):
    login(client, "staff")
    return client


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("administrator", True),
        ("staff", True),
        ("observatory", False),
        ("organization_editor", False),
    ],
)
def test_staff_pages_need_a_staff_role(client, make_campaign, role, allowed):
    campaign = make_campaign()
    fields = {"organization": make_organization()} if role == "organization_editor" else {}
    login(client, role, **fields)
    urls = [
        reverse("campaigns_staff:list"),
        reverse("campaigns_staff:create"),
        reverse("campaigns_staff:detail", args=[campaign.pk]),
        reverse("campaigns_staff:edit", args=[campaign.pk]),
        reverse("campaigns_staff:preview", args=[campaign.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == (200 if allowed else 403), url
    response = client.post(reverse("campaigns_staff:schedule", args=[campaign.pk]), {"when": "now"})
    assert response.status_code == (302 if allowed else 403)


def test_anonymous_visitors_are_sent_to_the_login(client, make_campaign):
    response = client.get(reverse("campaigns_staff:list"))

    assert response.status_code == 302 and "/compte/" in response["Location"]


def test_staff_compose_a_campaign_sanitised_with_blocks(staff_client, make_list):
    newsletter = make_list("Lettre du réseau")
    response = staff_client.post(
        reverse("campaigns_staff:create"),
        {
            "name": "Lettre d'avril",
            "subject": "La lettre du réseau — avril",
            "language": "fr",
            "lists": [newsletter.pk],
            "body_html": '<p onclick="x()">Bonjour {{ prenom }}</p><script>alert(1)</script>'
            '<a href="javascript:alert(1)">piège</a>',
            "watch_enabled": "on",
            "watch_kinds": ["funding_call"],
            "watch_count": "3",
            "news_enabled": "on",
            "news_count": "",
        },
    )

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns_staff:preview", args=[campaign.pk])
    assert campaign.body_html == "<p>Bonjour {{ prenom }}</p><a>piège</a>"
    assert [b["type"] for b in campaign.blocks] == ["watch", "news"]
    assert campaign.blocks[0]["kinds"] == ["funding_call"] and campaign.blocks[0]["count"] == 3
    assert list(campaign.lists.all()) == [newsletter]
    assert campaign.status == Campaign.Status.DRAFT and campaign.slug


def test_staff_pick_the_opportunities_of_a_block_by_hand(staff_client, make_list):
    from observatoire.watch.models import WatchItem

    chosen = WatchItem.objects.create(
        kind="funding_call", title="Appel FRIO", slug="appel-frio", status="published"
    )
    WatchItem.objects.create(kind="funding_call", title="Autre", slug="autre", status="published")
    staff_client.post(
        reverse("campaigns_staff:create"),
        {
            "name": "Envoi FRIO",
            "subject": "FRIO",
            "language": "fr",
            "watch_enabled": "on",
            "watch_items": [chosen.pk],
        },  # fmt: skip
    )

    campaign = Campaign.objects.get()
    assert campaign.blocks[0]["items"] == [chosen.pk]
    preview = staff_client.get(reverse("campaigns_staff:preview", args=[campaign.pk]))
    content = preview.content.decode()
    assert "Appel FRIO" in content and "Autre" not in content


def test_bad_input_keeps_what_was_typed_with_french_errors(staff_client):
    response = staff_client.post(
        reverse("campaigns_staff:create"),
        {
            "name": "",
            "subject": "Objet gardé",
            "language": "fr",
            "reply_to": "pas-une-adresse",
            "watch_count": "500",
            "lists": ["999"],
            "unknown": "x",
        },  # fmt: skip
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Objet gardé" in content
    assert 'aria-describedby="id_reply_to_error"' in content
    assert 'id="id_reply_to_error"' in content and "Ce champ est obligatoire." in content
    assert not Campaign.objects.exists()


def test_preview_shows_both_widths_and_the_recipient_count(
    staff_client, make_list, subscribe, make_campaign
):
    first, second = make_list(), make_list()
    subscribe(first, "awa@example.org")
    subscribe(second, "awa@example.org")
    subscribe(second, "binta@example.org")
    campaign = make_campaign(lists=[first, second], body="<p>Bonjour {{ prenom }} !</p>")

    response = staff_client.get(reverse("campaigns_staff:preview", args=[campaign.pk]))

    content = response.content.decode()
    assert 'class="preview-desktop"' in content and 'class="preview-mobile"' in content
    # The message of the sample recipient, whole inside the srcdoc attribute (escaped once).
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in content
    assert "&lt;p&gt;Bonjour Camille !&lt;/p&gt;" in content
    assert "atteignent aujourd&#x27;hui 2 adresses" in content or "2 adresses" in content


def test_test_send_goes_to_the_typed_addresses_with_a_prefix(
    staff_client, smtp_server, make_list, make_campaign
):
    campaign = make_campaign(lists=[make_list()])

    response = staff_client.post(
        reverse("campaigns_staff:test_send", args=[campaign.pk]),
        {"addresses": "claire@example.org, Paul@Example.org"},
    )

    assert response.status_code == 302
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "claire@example.org",
        "paul@example.org",
    ]
    assert all(m["Subject"] == "[TEST] La lettre du réseau — mars" for m in smtp_server.messages)
    assert not Delivery.objects.exists()


def test_test_send_refuses_invalid_addresses(staff_client, smtp_server, make_campaign):
    campaign = make_campaign()

    response = staff_client.post(
        reverse("campaigns_staff:test_send", args=[campaign.pk]),
        {"addresses": "claire@example.org; pas-une-adresse"},
    )

    assert response.status_code == 200
    assert "Ces adresses ne sont pas valides : pas-une-adresse" in response.content.decode()
    assert smtp_server.messages == []


def test_schedule_in_the_past_is_refused(staff_client, make_list, make_campaign):
    campaign = make_campaign(lists=[make_list()])

    staff_client.post(
        reverse("campaigns_staff:schedule", args=[campaign.pk]),
        {"when": "later", "at": "2001-01-01T10:00"},
    )

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_schedule_later_in_paris_time(staff_client, make_list, make_campaign):
    campaign = make_campaign(lists=[make_list()])
    year = timezone.localdate().year + 1

    staff_client.post(
        reverse("campaigns_staff:schedule", args=[campaign.pk]),
        {"when": "later", "at": f"{year}-01-15T09:30"},
    )

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SCHEDULED
    assert campaign.scheduled_at == datetime.datetime(year, 1, 15, 8, 30, tzinfo=datetime.UTC)


def test_uncertain_deliveries_are_reported_with_a_resend_action(staff_client, make_campaign):
    campaign = make_campaign()
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENT)
    Delivery.objects.create(campaign=campaign, address="a@example.org", status="uncertain")

    content = staff_client.get(reverse("campaigns_staff:detail", args=[campaign.pk])).content

    assert "Envois incertains" in content.decode()
    assert reverse("campaigns_staff:action", args=[campaign.pk, "resend"]) in content.decode()
    list_page = staff_client.get(reverse("campaigns_staff:list")).content.decode()
    assert "1 incertain" in list_page


def _sent_campaign(make_campaign, **fields):
    campaign = make_campaign(
        body='<p>Bonjour {{ prenom }}, <a href="https://example.org/appel">l\'appel</a></p>',
        **fields,
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        status=Campaign.Status.SENT, finished_at=timezone.now()
    )
    campaign.refresh_from_db()
    return campaign


def test_archive_is_public_and_free_of_personal_data_and_tracking(client, make_campaign):
    public = _sent_campaign(make_campaign, public_in_archive=True, subject="Lettre publique")
    _sent_campaign(make_campaign, subject="Envoi interne")
    draft = make_campaign(public_in_archive=True, subject="Brouillon public")

    listing = client.get(reverse("campaigns:archive_list")).content.decode()
    page = client.get(reverse("campaigns:archive_detail", args=[public.slug])).content.decode()

    assert "Lettre publique" in listing and "Envoi interne" not in listing
    assert "Brouillon public" not in listing
    assert "Bonjour ," in page and "{{ prenom }}" not in page
    assert 'href="https://example.org/appel"' in page
    assert "/lettre/o/" not in page and "/lettre/c/" not in page
    assert client.get(reverse("campaigns:archive_detail", args=[draft.slug])).status_code == 404


def test_open_pixel_counts_only_with_consent(client, make_campaign):
    campaign = _sent_campaign(make_campaign)
    tracked = Delivery.objects.create(campaign=campaign, address="t@example.org", status="sent",
                                      tracking_allowed=True)  # fmt: skip
    private = Delivery.objects.create(campaign=campaign, address="p@example.org", status="sent")

    for delivery in (tracked, tracked, private):
        response = client.get(reverse("campaigns:open", args=[delivery.token]))
        assert response.status_code == 200 and response["Content-Type"] == "image/gif"
        assert "no-store" in response["Cache-Control"]
    assert client.get(reverse("campaigns:open", args=["unknown"])).status_code == 200

    tracked.refresh_from_db()
    private.refresh_from_db()
    assert tracked.open_count == 2 and tracked.opened_at
    assert private.open_count == 0 and private.opened_at is None


def test_click_redirects_only_to_urls_signed_for_the_campaign(client, make_campaign):
    campaign = _sent_campaign(make_campaign)
    other = _sent_campaign(make_campaign, name="Autre")
    delivery = Delivery.objects.create(campaign=campaign, address="t@example.org", status="sent",
                                       tracking_allowed=True)  # fmt: skip
    good = click_url(campaign_id=campaign.pk, token=delivery.token, url="https://example.org/appel")
    path = urlsplit(good).path
    signed = parse_qs(urlsplit(good).query)["u"][0]

    response = client.get(path, {"u": signed})
    assert response.status_code == 302 and response["Location"] == "https://example.org/appel"

    tampered = signed.replace("example.org", "evil.example")
    foreign = parse_qs(
        urlsplit(
            click_url(campaign_id=other.pk, token=delivery.token, url="https://evil.example")
        ).query
    )["u"][0]
    for value in ("https://evil.example", tampered, foreign, ""):
        assert client.get(path, {"u": value}).status_code == 404
    delivery.refresh_from_db()
    assert delivery.click_count == 1 and delivery.opened_at is not None
    assert list(Click.objects.values_list("url", flat=True)) == ["https://example.org/appel"]


def test_click_without_consent_redirects_without_counting(client, make_campaign):
    campaign = _sent_campaign(make_campaign)
    delivery = Delivery.objects.create(campaign=campaign, address="p@example.org", status="sent")
    link = click_url(campaign_id=campaign.pk, token=delivery.token, url="https://example.org/a")

    response = client.get(link.replace("https://reseau.example.org", ""))

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.click_count == 0 and not Click.objects.exists()


def test_personal_web_version_is_not_tracked(client, make_campaign):
    campaign = _sent_campaign(make_campaign)
    delivery = Delivery.objects.create(campaign=campaign, address="a@example.org", status="sent",
                                       first_name="Awa", tracking_allowed=True)  # fmt: skip

    response = client.get(reverse("campaigns:web", args=[delivery.token]))

    content = response.content.decode()
    assert "Bonjour Awa" in content and "/lettre/o/" not in content
    assert response["X-Robots-Tag"] == "noindex"


def test_unsubscriptions_are_counted_on_the_campaign_received_before(make_list, subscribe,
                                                                    make_campaign):  # fmt: skip
    from observatoire.newsletters import services as newsletter_services

    campaign = _sent_campaign(make_campaign)
    sent_at = timezone.now() - datetime.timedelta(days=2)
    delivery = Delivery.objects.create(campaign=campaign, address="a@example.org", status="sent",
                                       sent_at=sent_at)  # fmt: skip
    newsletter_services.suppress(address="a@example.org", reason="unsubscribed", source="test")

    services.unsubscriptions_sync(since=timezone.now() - datetime.timedelta(hours=1))
    services.unsubscriptions_sync(since=timezone.now() - datetime.timedelta(hours=1))

    delivery.refresh_from_db()
    assert delivery.unsubscribed_at is not None
