"""The workspace pages with each persona, the forms' refusals, downloads and query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from observatoire.accounts.models import Role
from observatoire.core.testing import make_user
from observatoire.partnerships import services
from observatoire.partnerships.models import Agreement, Mission, Partnership
from observatoire.referentials.models import Country

from .factories import make_foreign_city, make_french_city, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership():
    return make_partnership(since_year=2005)


@pytest.fixture
def officer(partnership):
    return make_user(
        Role.ORGANIZATION_EDITOR,
        email="international@personas.test",
        organization=partnership.french_authority,
    )


def _detail(partnership):
    return reverse("partnerships:detail", args=[partnership.pk])


def test_anonymous_visitors_are_sent_to_the_login_page(client, partnership):
    for url in (reverse("partnerships:list"), _detail(partnership)):
        response = client.get(url)
        assert (
            response.status_code == 302 and "login" in response.url or "connexion" in response.url
        )


@pytest.mark.parametrize("persona", ["staff", "observatory", "officer"])
def test_who_may_read_a_partnership_reads_it(client, partnership, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_detail(partnership))
    assert response.status_code == 200
    assert "Commune urbaine d&#x27;Oujda" in response.content.decode()
    assert (
        partnership in response.context["page"].object_list if "page" in response.context else True
    )
    listing = client.get(reverse("partnerships:list"))
    assert [p.pk for p in listing.context["page"].object_list] == [partnership.pk]


def test_an_editor_of_an_unrelated_organisation_is_refused(client, partnership, outsider_editor):
    client.force_login(outsider_editor)
    assert client.get(_detail(partnership)).status_code == 403
    assert client.get(reverse("partnerships:edit", args=[partnership.pk])).status_code == 403
    assert not client.get(reverse("partnerships:list")).context["page"].object_list
    assert client.get(reverse("partnerships:create")).status_code == 403


def test_the_observatory_reads_but_does_not_edit(client, partnership, observatory):
    client.force_login(observatory)
    assert client.get(reverse("partnerships:edit", args=[partnership.pk])).status_code == 403
    response = client.post(reverse("partnerships:mission_create", args=[partnership.pk]), {})
    assert response.status_code == 403


def test_the_officer_plans_a_mission_and_a_return_before_departure_is_refused(
    client, partnership, officer
):
    client.force_login(officer)
    url = reverse("partnerships:mission_create", args=[partnership.pk])
    data = {
        "title": "Mission de suivi",
        "direction": "outgoing",
        "status": "planned",
        "starts_on": "2030-05-10",
        "ends_on": "2030-05-01",
        "cost": "8200",
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "0",
        "participants-0-name": "Interprète",
        "participants-0-role": "interprète",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ends_on" in response.context["form"].errors
    assert 'value="Mission de suivi"' in response.content.decode()  # nothing typed is lost
    assert not Mission.objects.exists()
    data["ends_on"] = "2030-05-15"
    response = client.post(url, data)
    assert response.status_code == 302
    mission = Mission.objects.get()
    assert mission.participants.get().name == "Interprète"
    assert "Mission de suivi" in client.get(_detail(partnership)).content.decode()


def test_an_agreement_ending_before_it_starts_is_refused_and_its_document_downloads(
    client, partnership, officer, outsider_editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(officer)
    url = reverse("partnerships:agreement_create", args=[partnership.pk])
    data = {
        "title": "Convention 2023-2028",
        "status": "signed",
        "signed_on": "2023-11-24",
        "starts_on": "2024-01-01",
        "ends_on": "2023-12-31",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "ends_on" in response.context["form"].errors
    data["ends_on"] = "2028-12-31"
    data["document_upload"] = SimpleUploadedFile("convention.pdf", b"%PDF-1.4 test")
    assert client.post(url, data).status_code == 302
    agreement = Agreement.objects.get()
    download = reverse("partnerships:agreement_document", args=[partnership.pk, agreement.pk])
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    client.force_login(outsider_editor)
    assert client.get(download).status_code == 403


def test_staff_create_a_partnership_with_a_new_partner_authority(client, staff):
    french = make_french_city()
    client.force_login(staff)
    url = reverse("partnerships:create")
    base = {"french_authority": french.pk, "kind": "cooperation", "status": "active"}
    response = client.post(url, {**base, "since_year": "2005"})
    assert response.status_code == 200 and "foreign_authority" in response.context["form"].errors
    response = client.post(
        url,
        {
            **base,
            "since_year": "2005",
            "new_foreign_name": "Commune de Kaya",
            "new_foreign_country": Country.objects.get(iso2="BF").pk,
            "new_foreign_town": "Kaya",
            "new_foreign_latitude": "13.0856",
            "new_foreign_longitude": "-1.084",
        },
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert partnership.foreign_authority.seat_locality == "Kaya"
    assert partnership.foreign_authority.legal_form == "foreign"


def test_an_officer_creates_partnerships_of_their_own_authority_only(client, officer):
    other_french = make_french_city("Ville de Niort", "79191")
    kaya = make_foreign_city("Commune de Kaya", "BF", "Kaya", 13.08, -1.08)
    client.force_login(officer)
    url = reverse("partnerships:create")
    data = {"french_authority": other_french.pk, "foreign_authority": kaya.pk,
            "kind": "twinning", "status": "active"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200 and "french_authority" in response.context["form"].errors
    data["french_authority"] = officer.organization_id
    assert client.post(url, data).status_code == 302


def test_a_key_contact_is_added_and_removed(client, partnership, officer):
    client.force_login(officer)
    url = reverse("partnerships:contact_create", args=[partnership.pk])
    response = client.post(url, {"side": "foreign", "role": "Élu"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = client.post(
        url, {"side": "foreign", "first_name": "Karim", "last_name": "El Idrissi", "role": "Élu"}
    )
    assert response.status_code == 302
    contact = partnership.contacts.get()
    remove = reverse("partnerships:contact_remove", args=[partnership.pk, contact.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not partnership.contacts.exists()


def test_the_list_and_the_detail_take_a_bounded_number_of_queries(
    client, staff, django_assert_max_num_queries
):
    french = make_french_city()
    for index in range(6):
        partnership = make_partnership(
            french=french,
            foreign=make_foreign_city(f"Commune {index}", "MA", f"Ville{index}", 34, -1 - index),
        )
        services.mission_save(
            mission=Mission(
                partnership=partnership, title="M", direction="incoming", status="planned",
                starts_on=datetime.date(2030, 1, 1), ends_on=datetime.date(2030, 1, 3),
            ),
            participants=[{"name": "A"}, {"name": "B"}],
        )  # fmt: skip
    client.force_login(staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("partnerships:list")).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(_detail(partnership)).status_code == 200


def test_the_record_panel_lists_the_partnerships_of_an_organisation(client, partnership, staff):
    client.force_login(staff)
    url = reverse("admin:organizations_organization_change", args=[partnership.french_authority.pk])
    content = client.get(url).content.decode()
    assert _detail(partnership) in content


def test_the_import_screen_previews_then_imports(client, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_french_city()
    client.force_login(staff)
    url = reverse("admin:partnerships_partnership_import")
    assert "CC BY-SA 4.0" in client.get(url).content.decode()
    bad = SimpleUploadedFile("jumelages.csv", b"\x00\x01binary")
    response = client.post(url, {"file": bad})
    assert response.status_code == 200 and response.context["form"].errors
    content = (
        b"city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        b"Ch\xc3\xa2tellerault,France,46.8178,0.5461,Velbert,Germany,51.3333,7.05\n"
        b"Nowhere,France,46,0,Corby,England,52.4,-0.7\n"
    )
    response = client.post(url, {"file": SimpleUploadedFile("x.txt", content)})
    result = response.context["result"]
    assert (result.created, result.rejected) == (1, 1)
    assert not Partnership.objects.exists()
    response = client.post(url, {"token": response.context["token"]})
    assert response.status_code == 200 and response.context["done"]
    assert Partnership.objects.get().foreign_authority.seat_locality == "Velbert"


def test_the_import_screen_is_for_staff(client, observatory):
    client.force_login(observatory)
    response = client.get(reverse("admin:partnerships_partnership_import"))
    assert response.status_code in (302, 403)


def test_the_officer_edits_the_partnership_but_not_its_two_authorities(
    client, partnership, officer
):
    other = make_french_city("Ville de Niort", "79191")
    client.force_login(officer)
    url = reverse("partnerships:edit", args=[partnership.pk])
    response = client.post(
        url,
        {
            "french_authority": other.pk,  # disabled: ignored
            "kind": "cooperation",
            "status": "dormant",
            "since_year": "2005",
            "ended_year": "2001",
        },
    )
    assert response.status_code == 200 and "ended_year" in response.context["form"].errors
    response = client.post(url, {"kind": "cooperation", "status": "dormant", "since_year": "2005"})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == "dormant"
    assert partnership.french_authority_id == officer.organization_id


def test_the_back_office_pages_render(client, partnership, staff, observatory):
    mission = services.mission_save(
        mission=Mission(
            partnership=partnership, title="M", direction="incoming", status="done",
            starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 1, 3),
        ),
        participants=[{"name": "Interprète"}],
    )  # fmt: skip
    client.force_login(staff)
    for url in (
        reverse("admin:partnerships_partnership_changelist"),
        reverse("admin:partnerships_partnership_add"),
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        reverse("admin:partnerships_mission_add"),
        reverse("admin:partnerships_mission_change", args=[mission.pk]),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(observatory)
    change = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {}).status_code == 403
