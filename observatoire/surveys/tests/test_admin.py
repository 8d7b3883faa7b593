import csv
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from observatoire.surveys import services
from observatoire.surveys.models import Choice, EventSurvey, SurveyInvitation

from .factories import make_training

pytestmark = pytest.mark.django_db


def answer(invitation, key, text=""):
    first, remarks = invitation.survey.template.questions.all()
    values = {first.pk: Choice.objects.get(question=first, key=key).pk, remarks.pk: text}
    return services.response_submit(invitation=invitation, values=values)


@pytest.fixture
def surveyed():
    """A training with 4 participants: 2 very satisfied, 1 satisfied, 1 silent."""
    event = make_training("Écrire un dossier de subvention AFD", people=4)
    services.surveys_send_due()
    first, second, third, _fourth = SurveyInvitation.objects.filter(survey__event=event)
    answer(first, "very_satisfied", "Formatrice très claire")
    answer(second, "very_satisfied")
    answer(third, "satisfied", "Un peu court")
    return EventSurvey.objects.get(event=event)


def results_url(survey):
    return reverse("admin:surveys_eventsurvey_results", args=[survey.pk])


TABLE_URL = reverse("admin:surveys_trainingsatisfaction_changelist")


@pytest.mark.parametrize("persona", ["administrator", "staff", "observatory"])
def test_the_back_office_sees_the_results(client, surveyed, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(results_url(surveyed))
    content = response.content.decode()
    assert response.status_code == 200
    assert "75,0 %" in content  # 3 answers out of 4 invitations
    assert "66,7 %" in content and "33,3 %" in content
    assert "Formatrice très claire" in content
    assert "Participante" in content  # not anonymous: who wrote it is shown


def test_anonymous_results_show_no_names(client, staff):
    event = make_training(people=1)
    services.surveys_send_due()
    survey = EventSurvey.objects.get(event=event)
    survey.template.anonymous = True
    survey.template.save()
    answer(survey.invitations.get(), "satisfied", "Remarque anonyme")
    client.force_login(staff)
    content = client.get(results_url(survey)).content.decode()
    assert "Remarque anonyme" in content
    assert "Participante" not in content


def test_organisation_editors_and_visitors_do_not_see_results(client, surveyed, editor):
    response = client.get(results_url(surveyed))
    assert response.status_code == 302  # to the login page
    client.force_login(editor)
    for url in (results_url(surveyed), TABLE_URL):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Formatrice" not in response.content.decode()


def test_the_observatory_cannot_send_nor_remind(client, surveyed, observatory):
    client.force_login(observatory)
    send = reverse("admin:surveys_eventsurvey_send", args=[surveyed.pk])
    assert client.post(send).status_code == 403


def test_staff_send_now_and_remind_now(client, staff, django_capture_on_commit_callbacks):
    event = make_training(people=2, ended_days_ago=-3)  # not over yet: staff decide
    survey = services.event_survey_create(event=event)
    client.force_login(staff)
    change = reverse("admin:surveys_eventsurvey_change", args=[survey.pk])
    assert "Envoyer maintenant" in client.get(change).content.decode()

    send = reverse("admin:surveys_eventsurvey_send", args=[survey.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send)
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(send)
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:surveys_eventsurvey_remind", args=[survey.pk]))
    assert len(mail.outbox) == 4
    survey.refresh_from_db()
    assert survey.reminder_sent_at is not None


def test_from_an_event_page_to_its_survey(client, staff):
    event = make_training(people=1)
    client.force_login(staff)
    response = client.get(reverse("admin:surveys_eventsurvey_for_event", args=[event.pk]))
    survey = EventSurvey.objects.get(event=event)
    assert response.url == reverse("admin:surveys_eventsurvey_change", args=[survey.pk])


def test_the_yearly_table(client, observatory, surveyed):
    make_training("Les ODD dans les territoires", people=2)
    client.force_login(observatory)
    year = timezone.localdate(surveyed.event.sittings.get().starts_at).year
    response = client.get(TABLE_URL, {"year": year})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Écrire un dossier de subvention AFD" in content
    assert "Les ODD dans les territoires" in content
    assert "Total : 2 formations" in content
    row = next(r for r in response.context["table"].rows if r.event == surveyed.event)
    assert (row.participants, row.very_satisfied_share, row.satisfied_share) == (
        4,
        Decimal("66.7"),
        Decimal("33.3"),
    )
    assert row.response_rate == 75


def test_the_yearly_table_is_linked_from_the_back_office_index(client, staff):
    client.force_login(staff)
    assert TABLE_URL in client.get(reverse("admin:index")).content.decode()


def test_a_bad_year_falls_back_to_the_current_one(client, staff):
    client.force_login(staff)
    for year in ("abc", "99999", "-5"):
        assert client.get(TABLE_URL, {"year": year}).status_code == 200


def test_the_table_query_count_does_not_grow_with_trainings(
    client, observatory, django_assert_max_num_queries
):
    for index in range(6):
        make_training(f"Formation {index}", people=2, sittings=2)
    services.surveys_send_due()
    client.force_login(observatory)
    year = timezone.localdate().year
    with django_assert_max_num_queries(14):
        response = client.get(TABLE_URL, {"year": year})
    assert len(response.context["table"].rows) >= 1


def test_the_results_query_count(client, observatory, surveyed, django_assert_max_num_queries):
    client.force_login(observatory)
    with django_assert_max_num_queries(16):
        client.get(results_url(surveyed))


def test_csv_and_xlsx_downloads(client, staff, surveyed):
    client.force_login(staff)
    year = timezone.localdate(surveyed.event.sittings.get().starts_at).year
    response = client.get(TABLE_URL, {"year": year, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Formation",
        "Dates",
        "Lieu",
        "Participants",
        "Très satisfait·es (%)",
        "Satisfait·es (%)",
        "Taux de réponse (%)",
    ]
    assert rows[1][0] == "Écrire un dossier de subvention AFD"
    assert rows[1][3:] == ["4", "66.7", "33.3", "75.0"]
    assert rows[-1][0] == "Total : 1 formations"

    response = client.get(TABLE_URL, {"year": year, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[1][0] == "Écrire un dossier de subvention AFD"
    assert values[1][3] == 4
    assert float(values[1][4]) == 66.7


def test_the_link_included_in_an_event_page():
    from django.template.loader import render_to_string

    event = make_training(people=1)
    html = render_to_string("admin/surveys/event_survey_link.html", {"event": event})
    assert reverse("admin:surveys_eventsurvey_for_event", args=[event.pk]) in html
    assert "Questionnaire de satisfaction" in html
