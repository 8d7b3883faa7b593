"""Exports of the register: labels not codes, formula injection, what each role may get."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from observatoire.core.testing import make_organization, make_person
from observatoire.organizations.models import Affiliation, Consent, Membership
from observatoire.referentials.models import College, Need


def _csv(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def register(db):
    organization = make_organization(
        "=Eau Vive", siret="73282932000074", legal_form="association", phone="05 49 00 00 00"
    )
    organization.needs.add(Need.objects.first())
    consenting = make_person("Awa", "Traoré", email="awa@eauvive.org")
    silent = make_person("Jean", "Martin", email="jean@eauvive.org")
    for person in (consenting, silent):
        Affiliation.objects.create(person=person, organization=organization)
    Consent.objects.create(
        person=consenting, purpose="directory", granted=True, given_at=timezone.now(),
        source="form", wording="J'accepte",
    )  # fmt: skip
    Consent.objects.create(
        person=silent, purpose="newsletter", granted=True, given_at=timezone.now(),
        source="form", wording="J'accepte",
    )  # fmt: skip
    Membership.objects.create(
        organization=organization, year=2025, college=College.objects.get(slug="associations"),
        fee_amount=Decimal("50"), paid_on=datetime.date(2025, 3, 1),
    )  # fmt: skip
    return organization


def test_organizations_csv_labels_and_formula_injection(client, staff, register):
    client.force_login(staff)
    response = client.get(reverse("admin:organizations_organization_export", args=["csv"]))
    header, row = _csv(response)[:2]
    values = dict(zip(header, row, strict=True))
    assert values["Nom"] == "'=Eau Vive"
    assert values["Forme juridique"] == "Association loi 1901"
    assert values["Type"] == "Association"
    assert values["Besoins"]  # staff see the staff-only needs


def test_observatory_does_not_get_staff_only_fields(client, observatory, register):
    register.field_visibility = {"phone": "staff"}
    register.save(update_fields=["field_visibility"])
    client.force_login(observatory)
    response = client.get(reverse("admin:organizations_organization_export", args=["csv"]))
    header, row = _csv(response)[:2]
    values = dict(zip(header, row, strict=True))
    assert values["Besoins"] == ""
    assert values["Téléphone"] == ""
    assert values["SIRET"] == "73282932000074"


def test_people_contact_details_follow_consent_for_the_observatory(client, observatory, register):
    client.force_login(observatory)
    response = client.get(reverse("admin:organizations_person_export", args=["csv"]))
    rows = {r[1]: r for r in _csv(response)[1:]}
    assert rows["Awa"][3] == "awa@eauvive.org"
    assert rows["Jean"][3] == ""  # a newsletter consent does not open the contact details
    assert rows["Jean"][0] == "Martin"


def test_staff_get_every_contact(client, staff, register):
    client.force_login(staff)
    response = client.get(reverse("admin:organizations_person_export", args=["csv"]))
    rows = {r[1]: r for r in _csv(response)[1:]}
    assert rows["Jean"][3] == "jean@eauvive.org"


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_memberships_export(client, observatory, register, file_format):
    client.force_login(observatory)
    url = reverse("admin:organizations_membership_changelist")
    response = client.post(
        url,
        {
            "action": f"export_{file_format}",
            "_selected_action": list(Membership.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 200
    if file_format == "csv":
        header, row = _csv(response)
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, row = [[c.value for c in r] for r in sheet.iter_rows()]
    values = dict(zip(header, row, strict=True))
    assert values["Structure"] == "'=Eau Vive"
    assert values["Collège"].startswith("Associations")
    assert values["À jour au 31 décembre"] == "oui"


def test_editors_may_not_export_memberships(client, editor, register):
    client.force_login(editor)
    response = client.post(
        reverse("admin:organizations_membership_changelist"),
        {"action": "export_csv", "_selected_action": [Membership.objects.get().pk]},
    )
    assert response.status_code in (302, 403)
