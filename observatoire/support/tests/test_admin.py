"""The back office of support as each persona meets it: lists, the session form, the
follow-ups to do, the figures and the record panels."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_person, make_user
from observatoire.organizations.models import Affiliation
from observatoire.referentials.models import Commune, Country, Theme
from observatoire.support.models import HelpKind, SupportSession

from .factories import follow_up, make_session

pytestmark = pytest.mark.django_db

SESSIONS = reverse("admin:support_supportsession_changelist")
ADD = reverse("admin:support_supportsession_add")
FOLLOW_UPS = reverse("admin:support_followupaction_changelist")
FIGURES = reverse("admin:support_supportfigures_changelist")


def done_url(action):
    return reverse("admin:support_followupaction_done", args=[action.pk])


@pytest.fixture
def session(organization, staff):
    return make_session(
        organization,
        staff,
        subject="Recherche de financements AFD",
        follow_ups=[follow_up("Envoyer la note", due_in_days=-2, assignee=staff)],
    )


@pytest.mark.parametrize("persona", ["administrator", "staff", "observatory"])
def test_the_back_office_sees_sessions_follow_ups_and_figures(client, persona, request, session):
    client.force_login(request.getfixturevalue(persona))
    index = client.get(reverse("admin:index")).content.decode()
    for url in (SESSIONS, FOLLOW_UPS, FIGURES):
        assert url in index
        assert client.get(url).status_code == 200
    assert "Recherche de financements AFD" in client.get(SESSIONS).content.decode()
    assert "Envoyer la note" in client.get(FOLLOW_UPS + "?who=all").content.decode()
    change = reverse("admin:support_supportsession_change", args=[session.pk])
    assert client.get(change).status_code == 200


@pytest.mark.parametrize("persona", ["editor", None])
def test_organisation_editors_and_visitors_never_see_support(client, persona, request, session):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    action = session.follow_ups.get()
    change = reverse("admin:support_supportsession_change", args=[session.pk])
    for url in (SESSIONS, FOLLOW_UPS, FIGURES, change, ADD):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(done_url(action))
    assert response.status_code == 302 and "/login/" in response["Location"]
    action.refresh_from_db()
    assert action.done_at is None


def test_the_observatory_reads_but_neither_logs_nor_marks_done(client, observatory, session):
    client.force_login(observatory)
    assert client.get(ADD).status_code == 403
    page = client.get(FOLLOW_UPS + "?who=all").content.decode()
    assert "Envoyer la note" in page
    assert done_url(session.follow_ups.get()) not in page
    assert client.post(done_url(session.follow_ups.get())).status_code == 403
    assert session.follow_ups.get().done_at is None


def _form_data(organization, staff, **overrides):
    data = {
        "organization": organization.pk,
        "occurred_on": timezone.localdate().isoformat(),
        "duration_minutes": "90",
        "mode": SupportSession.Mode.VIDEO,
        "subject": "Structuration de l'association",
        "staff_members": [staff.pk],
        "help_kinds": [HelpKind.objects.get(code="structuring").pk],
        "themes": [Theme.objects.get(slug="education").pk],
        "countries": [Country.objects.get(iso2="MG").pk],
        "summary": "Statuts et gouvernance.",
        "follow_ups-TOTAL_FORMS": "1",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
        "follow_ups-0-description": "Relire les statuts",
        "follow_ups-0-assignee": staff.pk,
        "follow_ups-0-due_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
    }
    data.update(overrides)
    return data


def test_staff_log_a_session_with_a_follow_up(client, staff, organization):
    client.force_login(staff)
    form = client.get(f"{ADD}?organization={organization.pk}")
    assert form.status_code == 200
    assert form.context["adminform"].form.initial["staff_members"] == [staff.pk]
    response = client.post(ADD, _form_data(organization, staff))
    assert response.status_code == 302, response.context["adminform"].form.errors
    session = SupportSession.objects.get()
    assert session.organization == organization and session.mode == "video"
    assert session.follow_ups.get().assignee == staff
    assert {record.history_user for record in session.history.all()} == {staff}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"duration_minutes": "0"}, "duration_minutes", "au moins une minute"),
        ({"duration_minutes": "-15"}, "duration_minutes", "au moins une minute"),
        ({"help_kinds": []}, "help_kinds", "obligatoire"),
    ],
)
def test_bad_input_is_explained_and_the_form_keeps_what_was_typed(
    client, staff, organization, overrides, field, message
):
    client.force_login(staff)
    response = client.post(ADD, _form_data(organization, staff, **overrides))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert "Structuration de l&#x27;association" in html
    assert "Relire les statuts" in html
    assert not SupportSession.objects.exists()


def test_a_follow_up_due_before_the_session_is_explained(client, staff, organization):
    client.force_login(staff)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        ADD, _form_data(organization, staff, **{"follow_ups-0-due_on": yesterday})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "avant la séance" in html
    assert "Relire les statuts" in html
    assert not SupportSession.objects.exists()


def test_a_staff_member_outside_the_back_office_is_refused(client, staff, organization):
    editor = make_user(Role.ORGANIZATION_EDITOR, email="ed@example.org", organization=organization)
    client.force_login(staff)
    response = client.post(ADD, _form_data(organization, staff, staff_members=[editor.pk]))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["staff_members"]
    assert not SupportSession.objects.exists()


def test_people_met_are_the_organisations_and_others_are_refused(client, staff, organization):
    awa = make_person()
    Affiliation.objects.create(person=awa, organization=organization)
    stranger = make_person("Jean", "Dupont")
    client.force_login(staff)
    page = client.get(f"{ADD}?organization={organization.pk}").content.decode()
    assert "Awa Traoré" in page and "Jean Dupont" not in page
    response = client.post(ADD, _form_data(organization, staff, people=[stranger.pk]))
    assert response.status_code == 200
    assert "Jean Dupont n’est pas rattaché" in response.content.decode()
    response = client.post(ADD, _form_data(organization, staff, people=[awa.pk]))
    assert response.status_code == 302
    assert list(SupportSession.objects.get().people.all()) == [awa]


def test_ticking_done_in_the_session_form_stamps_the_follow_up(client, staff, session):
    client.force_login(staff)
    action = session.follow_ups.get()
    change = reverse("admin:support_supportsession_change", args=[session.pk])
    data = _form_data(
        session.organization,
        staff,
        occurred_on=session.occurred_on.isoformat(),
        **{
            "follow_ups-INITIAL_FORMS": "1",
            "follow_ups-0-id": action.pk,
            "follow_ups-0-session": session.pk,
            "follow_ups-0-description": action.description,
            "follow_ups-0-due_on": action.due_on.isoformat(),
            "follow_ups-0-done": "on",
        },
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"]
    action.refresh_from_db()
    assert action.done_at is not None and action.done_by == staff


def test_follow_ups_to_do_mine_and_everyones_overdue_first(client, staff, organization):
    colleague = make_user(Role.STAFF, email="thomas@example.org", full_name="Thomas Delmas")
    make_session(
        organization,
        staff,
        days_ago=20,
        follow_ups=[
            follow_up("À venir", due_in_days=5, assignee=staff),
            follow_up("En retard", due_in_days=-4, assignee=staff),
            follow_up("Pour Thomas", due_in_days=-1, assignee=colleague),
            follow_up("Déjà fait", due_in_days=-8, assignee=staff, done=True),
        ],
    )
    client.force_login(staff)
    response = client.get(FOLLOW_UPS)
    assert [f.description for f in response.context["overdue"]] == ["En retard"]
    assert [f.description for f in response.context["upcoming"]] == ["À venir"]
    assert [f.description for f in response.context["recently_done"]] == ["Déjà fait"]
    html = response.content.decode()
    assert html.index("En retard") < html.index("À venir")
    response = client.get(FOLLOW_UPS + "?who=all")
    assert [f.description for f in response.context["overdue"]] == ["En retard", "Pour Thomas"]


def test_mark_done_in_one_click_needs_a_post(client, staff, session):
    action = session.follow_ups.get()
    client.force_login(staff)
    assert client.get(done_url(action)).status_code == 405
    response = client.post(done_url(action), {"who": "all"})
    assert response.status_code == 302 and response["Location"].endswith("?who=all")
    action.refresh_from_db()
    assert action.done_by == staff
    response = client.post(reverse("admin:support_followupaction_reopen", args=[action.pk]))
    action.refresh_from_db()
    assert action.done_at is None


def test_mark_done_is_protected_against_cross_site_requests(staff, session):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(done_url(session.follow_ups.get())).status_code == 403
    assert session.follow_ups.get().done_at is None


def test_the_sessions_list_filters(client, staff, organization):
    gironde = make_organization(
        "Ville de Bordeaux", kind_slug="commune", commune=Commune.objects.get(insee_code="33063")
    )
    water = Theme.objects.get(slug="water-sanitation")
    first = make_session(organization, staff, help_kinds=["evaluation"], themes=[water])
    second = make_session(
        gironde,
        staff,
        mode=SupportSession.Mode.PHONE,
        countries=[Country.objects.get(iso2="SN")],
        occurred_on=datetime.date(timezone.localdate().year - 1, 6, 1),
    )
    client.force_login(staff)

    def listed(query=""):
        response = client.get(SESSIONS + query)
        assert response.status_code == 200
        return {s.pk for s in response.context["cl"].result_list}

    year = timezone.localdate().year
    assert listed() == {first.pk, second.pk}
    assert listed(f"?year={year - 1}") == {second.pk}
    assert listed("?help=evaluation") == {first.pk}
    assert listed(f"?theme={water.pk}") == {first.pk}
    assert listed("?theme=none") == {second.pk}
    assert listed(f"?departement={gironde.departement_id}") == {second.pk}
    assert listed(f"?country={Country.objects.get(iso2='SN').pk}") == {second.pk}
    assert listed("?mode__exact=phone") == {second.pk}
    assert listed(f"?staff={staff.pk}") == {first.pk, second.pk}
    assert listed("?q=bordeaux") == {second.pk}


def _many_sessions(count, staff):
    colleague = make_user(Role.STAFF, email="thomas@example.org")
    for index in range(count):
        organization = make_organization(f"Association n° {index}")
        make_session(
            organization,
            staff,
            days_ago=index + 10,
            help_kinds=["project_design", "partnership"],
            themes=[Theme.objects.get(slug="education")],
            follow_ups=[
                follow_up(f"Action {index}", due_in_days=index - 3, assignee=staff),
                follow_up(f"Autre {index}", due_in_days=2, assignee=colleague),
            ],
        )


@pytest.mark.parametrize("count", [3, 15])
def test_lists_run_a_fixed_number_of_queries(client, staff, count, django_assert_max_num_queries):
    _many_sessions(count, staff)
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert client.get(SESSIONS).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get(FOLLOW_UPS + "?who=all")
    assert len(response.context["overdue"]) + len(response.context["upcoming"]) == 2 * count
    with django_assert_max_num_queries(16):
        assert client.get(FIGURES).status_code == 200


def test_record_panels_show_the_support_timeline_to_the_back_office(
    client, staff, observatory, organization, session
):
    awa = make_person()
    Affiliation.objects.create(person=awa, organization=organization)
    older = make_session(
        organization, staff, days_ago=40, subject="Premier rendez-vous", people=[awa]
    )
    record = reverse("admin:organizations_organization_change", args=[organization.pk])
    client.force_login(staff)
    html = client.get(record).content.decode()
    assert html.index("Recherche de financements AFD") < html.index("Premier rendez-vous")
    assert "Envoyer la note" in html
    assert f"{ADD}?organization={organization.pk}" in html
    person_page = client.get(reverse("admin:organizations_person_change", args=[awa.pk]))
    assert "Premier rendez-vous" in person_page.content.decode()
    assert "Recherche de financements AFD" not in person_page.content.decode()
    client.force_login(observatory)
    html = client.get(record).content.decode()
    assert "Premier rendez-vous" in html
    assert f"{ADD}?organization" not in html
    assert older.pk


def test_the_record_page_runs_a_fixed_number_of_queries_for_support(
    client, staff, organization, django_assert_max_num_queries
):
    for index in range(6):
        make_session(organization, staff, days_ago=index, follow_ups=[follow_up(f"Action {index}")])
    client.force_login(staff)
    record = reverse("admin:organizations_organization_change", args=[organization.pk])
    client.get(record)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(record)
    make_session(organization, staff, follow_ups=[follow_up("Encore")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(record)


def test_figures_link_to_the_filtered_list(client, staff, organization):
    make_session(organization, staff, themes=[Theme.objects.get(slug="health")])
    client.force_login(staff)
    year = timezone.localdate().year
    response = client.get(FIGURES + f"?year={year}")
    assert response.context["totals"]["sessions"] == 1
    html = response.content.decode()
    theme = Theme.objects.get(slug="health")
    assert f"{SESSIONS}?year={year}&amp;theme={theme.pk}" in html
    assert f"{SESSIONS}?year={year}&amp;help=project_design" in html
    assert client.get(FIGURES + "?year=abc").status_code == 200


def test_a_session_of_a_staff_member_who_left_stays_editable(client, staff, organization):
    former = make_user(Role.STAFF, email="parti@example.org", full_name="Ancien Chargé")
    session = make_session(
        organization, former, follow_ups=[follow_up("Relancer", due_in_days=3, assignee=former)]
    )
    former.is_active = False
    former.save()
    action = session.follow_ups.get()
    client.force_login(staff)
    change = reverse("admin:support_supportsession_change", args=[session.pk])
    data = _form_data(
        organization,
        staff,
        occurred_on=session.occurred_on.isoformat(),
        staff_members=[former.pk],
        help_kinds=[HelpKind.objects.get(code="project_design").pk],
        **{
            "follow_ups-INITIAL_FORMS": "1",
            "follow_ups-0-id": action.pk,
            "follow_ups-0-session": session.pk,
            "follow_ups-0-description": action.description,
            "follow_ups-0-assignee": former.pk,
            "follow_ups-0-due_on": action.due_on.isoformat(),
            "follow_ups-0-done": "on",
        },
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert action.assignee == former and action.done_by == staff
    assert list(session.staff_members.all()) == [former]
    # A new session cannot name them any more.
    response = client.post(ADD, _form_data(organization, staff, staff_members=[former.pk]))
    assert response.status_code == 200
    assert not SupportSession.objects.exclude(pk=session.pk).exists()


def test_the_filtered_list_downloads_as_csv_and_xlsx(client, observatory, session, staff):
    import io

    from openpyxl import load_workbook

    other = make_organization("Comité de jumelage Pessac–Burkina", kind_slug="twinning-committee")
    make_session(other, staff, subject="Évaluation finale", mode=SupportSession.Mode.PHONE)
    client.force_login(observatory)

    page = client.get(SESSIONS)
    assert reverse("admin:support_supportsession_export", args=["csv"]) in page.text

    csv_export = client.get(
        reverse("admin:support_supportsession_export", args=["csv"]), {"mode": "phone"}
    )
    text = csv_export.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("date;organisation;département;objet")
    assert "Évaluation finale" in text
    assert "Recherche de financements AFD" not in text

    xlsx_export = client.get(reverse("admin:support_supportsession_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx_export.content)).active
    subjects = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert subjects == {"Recherche de financements AFD", "Évaluation finale"}


def test_an_unknown_export_format_goes_back_to_the_list(client, staff, session):
    client.force_login(staff)
    response = client.get(reverse("admin:support_supportsession_export", args=["pdf"]))
    assert response.status_code == 302


def test_organisation_editors_cannot_download_sessions(client, editor, session):
    client.force_login(editor)
    response = client.get(reverse("admin:support_supportsession_export", args=["csv"]))
    assert response.status_code in (302, 403)
    assert b"Recherche de financements" not in response.content
