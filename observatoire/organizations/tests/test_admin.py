"""The back office of the register, as each persona meets it."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from observatoire.core.testing import PASSWORD, make_organization, make_person
from observatoire.organizations.models import Affiliation, Organization, SavedSearch
from observatoire.referentials.models import Commune, OrganizationKind, Theme

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:organizations_organization_changelist")
ADD = reverse("admin:organizations_organization_add")


def login(client, user):
    client.force_login(user)
    return client


def admin_form_data(client, url, **fields):
    """The data the admin form at `url` would post: its current values, inlines left empty."""
    response = client.get(url)
    assert response.status_code == 200
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, (list, tuple)) or hasattr(value, "all"):
            data[name] = [
                getattr(v, "pk", v) for v in (value.all() if hasattr(value, "all") else value)
            ]
        else:
            data[name] = getattr(value, "pk", value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.total_form_count()
        data[f"{formset.prefix}-INITIAL_FORMS"] = formset.initial_form_count()
        for index, sub_form in enumerate(formset.initial_forms):
            for name in sub_form.fields:
                value = sub_form.initial.get(name)
                if value is not None:
                    data[f"{formset.prefix}-{index}-{name}"] = getattr(value, "pk", value)
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("persona", ["administrator", "staff", "observatory"])
def test_back_office_personas_see_the_register(client, persona, request, organization):
    login(client, request.getfixturevalue(persona))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert organization.name in response.content.decode()


def test_anonymous_and_organization_editors_are_sent_to_log_in(client, editor):
    assert client.get(CHANGELIST).status_code == 302
    login(client, editor)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_creates_an_organization_located_from_its_commune(client, staff):
    login(client, staff)
    bordeaux = Commune.objects.get(insee_code="33063")
    data = admin_form_data(
        client,
        ADD,
        name="Solidarité Gironde–Burkina",
        kind=OrganizationKind.objects.get(slug="association").pk,
        status="qualified",
        source="staff",
        siren="732829320",
        commune=bordeaux.pk,
        themes=[Theme.objects.first().pk],
    )
    response = client.post(ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    organization = Organization.objects.get(name="Solidarité Gironde–Burkina")
    assert organization.departement.code == "33"
    assert organization.history.first().history_user == staff
    assert "bordeaux" in organization.search_text


def test_invalid_identifier_is_explained_in_french_and_the_form_keeps_what_was_typed(client, staff):
    login(client, staff)
    data = admin_form_data(
        client,
        ADD,
        name="Association des Amis de Ouagadougou",
        kind=OrganizationKind.objects.get(slug="association").pk,
        status="draft",
        source="staff",
        siren="123456789",
        rna="W33",
        website="Association des amis",
    )
    response = client.post(ADD, data, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Association des Amis de Ouagadougou" in page
    assert "123456789" in page
    errors = response.context["adminform"].form.errors
    assert {"siren", "rna", "website"} <= set(errors)
    assert "numéro SIREN" in str(errors["siren"])
    assert not Organization.objects.exists()


def test_html_typed_in_a_name_is_shown_as_text(client, staff):
    make_organization('<script>alert("x")</script> Asso')
    login(client, staff)
    page = client.get(CHANGELIST).content.decode()
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_observatory_reads_but_cannot_change(client, observatory, organization):
    login(client, observatory)
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Changed"})
    assert response.status_code == 403
    assert client.get(ADD).status_code == 403


def test_search_and_filters_from_the_list(client, staff):
    bordeaux = Commune.objects.get(insee_code="33063")
    wanted = make_organization("Eau Vive Charente", acronym="EVC", commune=bordeaux)
    make_organization("Autre asso")
    login(client, staff)
    response = client.get(CHANGELIST, {"q": "evc"})
    assert list(response.context["cl"].result_list) == [wanted]
    response = client.get(CHANGELIST, {"departement": bordeaux.departement_id})
    assert list(response.context["cl"].result_list) == [wanted]


@pytest.mark.parametrize(
    "params", [{"theme": "abc"}, {"member_year": "'; drop"}, {"q": "x" * 5000}, {"p": "999"}]
)
def test_odd_query_strings_never_break_the_list(client, staff, params, organization):
    login(client, staff)
    assert client.get(CHANGELIST, params).status_code in (200, 302)


def test_list_query_count_does_not_grow_with_rows(client, staff):
    login(client, staff)
    for i in range(3):
        make_organization(f"Asso {i}")
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for i in range(3, 30):
        make_organization(f"Asso {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(CHANGELIST)
    assert len(many) == len(few)


def test_member_this_year_column_on_the_page_and_sorted(client, staff):
    from django.utils import timezone

    from observatoire.organizations.models import Membership
    from observatoire.referentials.models import College

    year = timezone.localdate().year
    member = make_organization("Asso adhérente")
    make_organization("Asso non adhérente")
    Membership.objects.create(
        organization=member,
        year=year,
        college=College.objects.first(),
        paid_on=datetime.date(year, 1, 15),
    )
    login(client, staff)
    shown = {o.name: o._up_to_date for o in client.get(CHANGELIST).context["cl"].result_list}
    assert shown == {"Asso adhérente": True, "Asso non adhérente": False}
    changelist = client.get(CHANGELIST).context["cl"]
    column = str(changelist.list_display.index("member_this_year"))
    ordered = client.get(CHANGELIST, {"o": f"-{column}"}).context["cl"].result_list
    assert [o.name for o in ordered] == ["Asso adhérente", "Asso non adhérente"]
    ordered = client.get(CHANGELIST, {"o": column}).context["cl"].result_list
    assert [o.name for o in ordered] == ["Asso non adhérente", "Asso adhérente"]


def test_archived_organizations_leave_the_list_and_can_be_restored(client, staff, organization):
    login(client, staff)
    client.post(
        CHANGELIST,
        {"action": "archive_selected", "_selected_action": [organization.pk]},
    )
    organization.refresh_from_db()
    assert organization.status == Organization.Status.ARCHIVED
    assert organization.name not in client.get(CHANGELIST).content.decode()
    archived = client.get(CHANGELIST, {"status": "archived"})
    assert list(archived.context["cl"].result_list) == [organization]
    client.post(
        CHANGELIST + "?status=archived",
        {"action": "restore_selected", "_selected_action": [organization.pk]},
    )
    organization.refresh_from_db()
    assert organization.status == Organization.Status.DRAFT


def test_nobody_deletes_an_organization(client, administrator, organization):
    login(client, administrator)
    url = reverse("admin:organizations_organization_delete", args=[organization.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_history_and_timeline_are_readable_on_the_record(client, staff, organization):
    login(client, staff)
    organization.name = "Nouveau nom"
    from observatoire.organizations.services import organization_save

    organization_save(organization=organization, changed_by=staff)
    page = client.get(
        reverse("admin:organizations_organization_change", args=[organization.pk])
    ).content.decode()
    assert "Nouveau nom" in page and "Association Eau Vive Charente" in page
    history = client.get(
        reverse("admin:organizations_organization_history", args=[organization.pk])
    )
    assert history.status_code == 200


def _export(client, file_format, **params):
    url = reverse("admin:organizations_organization_export", args=[file_format])
    return client.get(url, params)


def test_export_follows_the_filters_uses_labels_and_defuses_formulas(client, observatory):
    make_organization('=HYPERLINK("http://evil.example","clic")', acronym="EVIL")
    make_organization("Ville de Bordeaux", kind_slug="commune")
    login(client, observatory)
    response = _export(client, "csv", family="association")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2  # header + the association only
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][2] == str(OrganizationKind.objects.get(slug="association"))


def test_xlsx_export_opens_in_a_spreadsheet(client, staff):
    make_organization("@SUM(1+1)")
    login(client, staff)
    response = _export(client, "xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert len(values) == 2
    assert values[1][0] == "'@SUM(1+1)"


def test_export_is_refused_outside_the_back_office(client, editor):
    assert _export(client, "csv").status_code == 302
    login(client, editor)
    assert _export(client, "csv").status_code == 302


def test_export_query_count_is_fixed(client, staff):
    login(client, staff)
    for i in range(3):
        make_organization(f"Asso {i}")
    with CaptureQueriesContext(connection) as few:
        _export(client, "csv")
    for i in range(3, 20):
        organization = make_organization(f"Asso {i}")
        Affiliation.objects.create(
            organization=organization, person=make_person(last_name=f"P{i}"), is_main_contact=True
        )
    with CaptureQueriesContext(connection) as many:
        _export(client, "csv")
    assert len(many) == len(few)


def test_staff_saves_a_search_and_finds_it_on_the_list(client, staff):
    login(client, staff)
    url = reverse("admin:organizations_organization_save_search")
    response = client.post(
        url, {"name": "Associations", "query_string": "family=association", "is_shared": "on"}
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert (saved.owner, saved.target, saved.query_string) == (
        staff,
        "organizations",
        "family=association",
    )
    assert "Associations" in client.get(CHANGELIST).content.decode()


def test_a_search_without_a_name_is_not_saved(client, staff):
    login(client, staff)
    url = reverse("admin:organizations_organization_save_search")
    client.post(url, {"name": "  ", "query_string": "family=association"})
    assert not SavedSearch.objects.exists()


def test_people_list_and_search(client, staff):
    person = make_person("Awa", "Traoré", email="awa@example.org")
    make_person("Jean", "Martin")
    login(client, staff)
    response = client.get(reverse("admin:organizations_person_changelist"), {"q": "traore"})
    assert list(response.context["cl"].result_list) == [person]


def test_login_page_then_back_office(client, staff):
    response = client.post(
        reverse("accounts:login"), {"username": staff.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_interaction_recorded_from_a_record_appears_on_its_timeline(client, staff, organization):
    login(client, staff)
    change_url = reverse("admin:organizations_organization_change", args=[organization.pk])
    page = client.get(change_url).content.decode()
    add_url = reverse("admin:organizations_interaction_add") + f"?organizations={organization.pk}"
    assert add_url in page
    form = client.get(add_url).context["adminform"].form
    assert form.initial["organizations"] == [str(organization.pk)]
    response = client.post(
        add_url,
        {
            "kind": "meeting",
            "occurred_at_0": "2026-03-12",
            "occurred_at_1": "10:00:00",
            "subject": "Préparation de la mission à Oujda",
            "notes": "Partenaires marocains présents.",
            "staff_member": staff.pk,
            "organizations": [organization.pk],
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = client.get(change_url).content.decode()
    assert "Préparation de la mission à Oujda" in page


def test_people_list_query_count_does_not_grow_with_rows(client, staff, organization):
    login(client, staff)
    url = reverse("admin:organizations_person_changelist")

    def add_people(start, stop):
        for i in range(start, stop):
            person = make_person(last_name=f"Nom{i}", email=f"p{i}@example.org")
            Affiliation.objects.create(person=person, organization=organization)

    add_people(0, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_people(3, 25)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_unknown_commune_and_over_long_values_are_refused_without_losing_input(client, staff):
    login(client, staff)
    data = admin_form_data(
        client,
        ADD,
        name="Association Tiers-Monde Périgord",
        acronym="A" * 80,
        kind=OrganizationKind.objects.get(slug="association").pk,
        status="draft",
        source="staff",
        commune=99999999,
        phone="appelez-moi",
    )
    response = client.post(ADD, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"commune", "acronym", "phone"} <= set(errors)
    assert "Association Tiers-Monde Périgord" in response.content.decode()
    assert not Organization.objects.exists()
