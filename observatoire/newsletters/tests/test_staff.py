"""The staff pages of the lists: who may use them, lists, subscribers, imports, exports."""

import csv
import io

import pytest
from django.urls import reverse

from ..models import MailingList, Subscription, Suppression
from ..services import suppress
from .factories import contact, make_list, subscribe, water_authority

pytestmark = pytest.mark.django_db


def logged(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def letter(db):
    return make_list(is_public=True)


@pytest.fixture
def as_staff(client, staff):
    return logged(client, staff)


def test_only_staff_and_administrators_see_the_lists(
    client, letter, staff, administrator, observatory, editor
):
    url = reverse("newsletters_staff:lists")
    response = client.get(url)
    assert response.status_code == 302 or response.status_code == 403
    for user, expected in ((editor, 403), (observatory, 403), (staff, 200), (administrator, 200)):
        client.logout()
        assert logged(client, user).get(url).status_code == expected, user.role
        detail = reverse("newsletters_staff:detail", args=[letter.pk])
        assert client.get(detail).status_code == expected
        export = reverse("newsletters_staff:export", args=[letter.pk, "brevo"])
        assert client.get(export).status_code == expected


def test_list_page_counts_by_status(as_staff, letter, django_assert_max_num_queries):
    subscribe(letter, "a@example.org")
    subscribe(letter, "b@example.org")
    subscribe(letter, "c@example.org", status="pending")
    subscribe(letter, "d@example.org", status="unsubscribed")
    for index in range(30):
        make_list(f"Liste {index}").subscriptions.create(
            address=f"x{index}@example.org",
            status="confirmed",
            source="staff",
            consent_wording="oui",
            consented_at=letter.created_at,
        )
    with django_assert_max_num_queries(8):
        page = as_staff.get(reverse("newsletters_staff:lists")).content.decode()
    assert "<td>2</td><td>1</td><td>1</td>" in page


def test_create_a_dynamic_list_and_see_its_contacts(as_staff):
    from observatoire.referentials.models import Departement, Theme

    begles = water_authority()
    contact(begles, "Claire", "Moreau", "claire@begles.fr", main=True, purposes=["mailings"])
    data = {
        "name": "Collectivités de Gironde — eau",
        "description": "",
        "purpose": "mailings",
        "kind": "dynamic",
        "reach": "main",
        "filter_family": "local_authority",
        "filter_departement": str(Departement.objects.get(code="33").pk),
        "filter_theme": str(Theme.objects.get(slug="water-sanitation").pk),
    }
    count = as_staff.get(
        reverse("newsletters_staff:dynamic_count"),
        {"purpose": "mailings", "reach": "main", "family": "local_authority"},
    ).json()
    assert count == {"organizations": 1, "recipients": 1}
    response = as_staff.post(reverse("newsletters_staff:create"), data)
    mailing_list = MailingList.objects.get()
    assert response.url == reverse("newsletters_staff:detail", args=[mailing_list.pk])
    assert mailing_list.slug == "collectivites-de-gironde-eau"
    assert "family=local_authority" in mailing_list.filter_query
    page = as_staff.get(response.url).content.decode()
    assert "claire@begles.fr" in page


def test_a_dynamic_list_needs_a_filter_and_cannot_be_public(as_staff):
    response = as_staff.post(
        reverse("newsletters_staff:create"),
        {
            "name": "Tout le monde",
            "purpose": "mailings",
            "kind": "dynamic",
            "reach": "all",
            "is_public": "on",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_kind_error"' in page and 'id="id_is_public_error"' in page
    assert 'value="Tout le monde"' in page
    assert not MailingList.objects.exists()


def test_staff_add_a_subscriber_with_the_consent_wording(as_staff, letter):
    url = reverse("newsletters_staff:add", args=[letter.pk])
    missing = as_staff.post(url, {"email": "awa@example.org"})
    assert missing.status_code == 400
    assert 'id="id_wording_error"' in missing.content.decode()
    as_staff.post(
        url,
        {
            "email": "Awa@Example.org",
            "wording": "Formulaire papier du forum",
            "consented_on": "2026-03-02",
        },
    )
    subscription = Subscription.objects.get()
    assert subscription.address == "awa@example.org"
    assert subscription.status == "confirmed" and subscription.source == "staff"
    assert subscription.consent_wording == "Formulaire papier du forum"
    assert subscription.consented_at.date().isoformat() == "2026-03-02"


def test_import_reports_every_bad_row_and_imports_nothing(as_staff, letter):
    url = reverse("newsletters_staff:import", args=[letter.pk])
    text = (
        "email;prenom;nom\n"
        "awa@example.org;Awa;Traoré\n"
        "not-an-address;Jean;Dupont\n"
        "awa@example.org;Awa;T\n"
    )
    response = as_staff.post(url, {"text": text, "wording": "Forum", "consented_on": "2026-01-10"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "not-an-address" in page and "awa@example.org, Awa, T" in page
    assert Subscription.objects.count() == 0
    good = "awa@example.org;Awa;Traoré\njean@example.org;Jean;Dupont;Mairie de Niort\n"
    as_staff.post(url, {"text": good, "wording": "Forum", "consented_on": "2026-01-10"})
    assert sorted(Subscription.objects.values_list("address", "organization_name")) == [
        ("awa@example.org", ""),
        ("jean@example.org", "Mairie de Niort"),
    ]


def test_import_from_an_uploaded_file(as_staff, letter):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("abonnes.csv", "Email,Prénom\nlea@example.org,Léa\n".encode())
    as_staff.post(
        reverse("newsletters_staff:import", args=[letter.pk]),
        {"file": upload, "wording": "Forum", "consented_on": "2026-01-10"},
    )
    assert Subscription.objects.get().first_name == "Léa"


def test_exports_contain_only_reachable_addresses_in_each_format(as_staff, letter):
    subscribe(letter, "awa@example.org", first_name="Awa", last_name="Traoré")
    subscribe(letter, "jean@example.org", first_name="=cmd", last_name="Dupont")
    subscribe(letter, "pending@example.org", status="pending")
    subscribe(letter, "bounced@example.org")
    suppress(address="bounced@example.org", reason="hard_bounce", source="test")

    def download(file_format):
        response = as_staff.get(reverse("newsletters_staff:export", args=[letter.pk, file_format]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        return response.content

    mailchimp = list(csv.reader(io.StringIO(download("mailchimp").decode("utf-8"))))
    assert mailchimp[0] == ["Email Address", "First Name", "Last Name"]
    assert sorted(row[0] for row in mailchimp[1:]) == ["awa@example.org", "jean@example.org"]
    brevo = list(csv.reader(io.StringIO(download("brevo").decode("utf-8")), delimiter=";"))
    assert brevo[0] == ["EMAIL", "PRENOM", "NOM"]
    assert ["awa@example.org", "Awa", "Traoré"] in brevo
    excel = download("excel")
    assert excel.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Adresse e-mail"
    assert ["jean@example.org", "'=cmd", "Dupont", ""] in rows
    assert len(rows) == 3
    assert (
        as_staff.get(reverse("newsletters_staff:export", args=[letter.pk, "xls"])).status_code
        == 404
    )


def test_staff_unsubscribe_an_address_by_hand(as_staff, letter):
    subscribe(letter, "awa@example.org")
    url = reverse("newsletters_staff:unsubscribe")
    bad = as_staff.post(url, {"email": "awa@", "reason": "unsubscribed"})
    assert 'id="id_email_error"' in bad.content.decode()
    as_staff.post(url, {"email": "awa@example.org", "reason": "unsubscribed"})
    assert Subscription.objects.get().status == "unsubscribed"
    suppression = Suppression.objects.get()
    assert suppression.reason == "unsubscribed" and "staff" in suppression.source
    page = as_staff.get(reverse("newsletters_staff:suppressions")).content.decode()
    assert "awa@example.org" in page


def test_bounces_page(as_staff):
    from ..services import record_bounce

    record_bounce(address="gone@example.org", kind="hard", diagnostic="550 5.1.1 User unknown")
    page = as_staff.get(reverse("newsletters_staff:bounces")).content.decode()
    assert "gone@example.org" in page and "5.1.1" in page


def test_list_page_and_export_queries_do_not_grow_with_subscribers(
    as_staff, letter, django_assert_max_num_queries
):
    from django.utils import timezone

    Subscription.objects.bulk_create(
        Subscription(
            mailing_list=letter,
            address=f"abonne{i}@example.org",
            status="confirmed",
            source="import",
            consent_wording="oui",
            consented_at=timezone.now(),
        )
        for i in range(300)
    )
    with django_assert_max_num_queries(14):
        page = as_staff.get(reverse("newsletters_staff:detail", args=[letter.pk]))
    assert "<strong>300</strong>" in page.content.decode()
    with django_assert_max_num_queries(8):
        export = as_staff.get(reverse("newsletters_staff:export", args=[letter.pk, "excel"]))
    assert export.content.decode("utf-8-sig").count("\n") == 301


def test_back_office_pages_of_the_lists_open(client, administrator, letter):
    subscribe(letter, "awa@example.org")
    suppress(address="gone@example.org", reason="hard_bounce", source="test")
    client.force_login(administrator)
    for model in ("mailinglist", "subscription", "suppression", "bounce"):
        response = client.get(reverse(f"admin:newsletters_{model}_changelist"))
        assert response.status_code == 200, model
