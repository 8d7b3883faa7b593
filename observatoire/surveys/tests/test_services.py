import datetime

import pytest
from django.core import mail
from django.utils import timezone

from observatoire.core import periodic
from observatoire.events.models import Event
from observatoire.surveys import services
from observatoire.surveys.models import (
    Choice,
    EventSurvey,
    Question,
    Response,
    SurveyInvitation,
    SurveyTemplate,
)
from observatoire.surveys.tasks import send_due_reminders, send_due_surveys

from .factories import make_training

pytestmark = pytest.mark.django_db


def default_template() -> SurveyTemplate:
    return SurveyTemplate.objects.get(is_default=True)


def test_the_default_template_is_shipped_with_the_satisfaction_question():
    template = default_template()
    first, remarks = template.questions.all()
    assert first.text == "La formation a-t-elle répondu à vos attentes dans l'ensemble ?"
    assert [c.key for c in first.choices.all()] == [
        "very_satisfied",
        "satisfied",
        "not_very_satisfied",
        "not_at_all_satisfied",
    ]
    assert [c.label for c in first.choices.all()][0] == "Très satisfait·e"
    assert remarks.kind == Question.Kind.FREE_TEXT and not remarks.required
    assert template.event_kinds == ["training"]


def test_the_sweeps_are_registered_with_the_clock():
    names = {entry.name for entry in periodic.registered()}
    assert send_due_surveys.module_path in names
    assert send_due_reminders.module_path in names


def test_a_training_ended_past_the_delay_is_surveyed_once(
    settings, django_capture_on_commit_callbacks
):
    settings.SURVEY_SEND_DELAY_HOURS = 24
    event = make_training(ended_days_ago=2, people=3)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.surveys_send_due() == 3
    survey = EventSurvey.objects.get(event=event)
    assert survey.template == default_template()
    assert survey.sent_at is not None
    assert survey.closes_at == survey.sent_at + datetime.timedelta(days=30)
    assert len(mail.outbox) == 3
    # Run again, as a restarted clock would: nothing goes twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.surveys_send_due() == 0
        assert send_due_surveys.enqueue().return_value == 0
    assert len(mail.outbox) == 3
    assert SurveyInvitation.objects.count() == 3


def test_only_participants_are_invited():
    # Attendance taken: the absent registration is not a participant.
    event = make_training(people=3, absent=1)
    services.surveys_send_due()
    invited = SurveyInvitation.objects.filter(survey__event=event)
    assert invited.count() == 2


def test_an_event_not_over_or_within_the_delay_waits(settings):
    settings.SURVEY_SEND_DELAY_HOURS = 24
    make_training(ended_days_ago=0.5)
    make_training(ended_days_ago=-1)
    assert services.surveys_send_due() == 0
    assert not SurveyInvitation.objects.exists()
    assert mail.outbox == []


def test_meetings_and_old_trainings_get_no_survey_automatically():
    make_training(kind=Event.Kind.MEETING)
    make_training(ended_days_ago=90)
    assert services.surveys_send_due() == 0
    assert not EventSurvey.objects.exists()


def test_the_reminder_goes_once_to_those_who_did_not_answer(
    settings, django_capture_on_commit_callbacks
):
    settings.SURVEY_REMINDER_DAYS = 7
    event = make_training(people=3, ended_days_ago=9)
    sent_at = timezone.now() - datetime.timedelta(days=8)
    survey = services.event_survey_create(event=event)
    services.event_survey_send(survey=survey, now=sent_at)
    answered = survey.invitations.first()
    services.response_submit(invitation=answered, values={}, now=sent_at)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.surveys_send_due_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        i.registration.email for i in survey.invitations.exclude(pk=answered.pk)
    )
    assert "Rappel" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert services.surveys_send_due_reminders() == 0
        assert send_due_reminders.enqueue().return_value == 0
    assert len(mail.outbox) == 2


def test_no_reminder_before_the_delay_nor_once_closed(settings):
    settings.SURVEY_REMINDER_DAYS = 7
    event = make_training(people=2)
    services.surveys_send_due()
    assert services.surveys_send_due_reminders() == 0
    survey = EventSurvey.objects.get(event=event)
    survey.sent_at = timezone.now() - datetime.timedelta(days=40)
    survey.closes_at = timezone.now() - datetime.timedelta(days=10)
    survey.save()
    assert services.surveys_send_due_reminders() == 0


def _survey_with_invitation(*, anonymous=False):
    event = make_training(people=1)
    template = default_template()
    if anonymous:
        template.anonymous = True
        template.save()
    services.surveys_send_due()
    return SurveyInvitation.objects.get(survey__event=event)


def _values(invitation, key="very_satisfied", text="Très utile"):
    first, remarks = invitation.survey.template.questions.all()
    return {first.pk: Choice.objects.get(question=first, key=key).pk, remarks.pk: text}


def test_an_answer_is_recorded_with_its_person():
    invitation = _survey_with_invitation()
    response = services.response_submit(invitation=invitation, values=_values(invitation))
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    assert response.invitation == invitation
    assert response.answers.count() == 2


def test_an_anonymous_response_is_not_linked_to_the_person():
    invitation = _survey_with_invitation(anonymous=True)
    response = services.response_submit(invitation=invitation, values=_values(invitation))
    invitation.refresh_from_db()
    assert invitation.answered_at is not None  # the link is used up...
    response.refresh_from_db()
    assert response.invitation is None  # ...but the answers do not say whose they are
    assert not Response.objects.filter(invitation__registration=invitation.registration).exists()


def test_a_link_used_twice_is_refused_and_keeps_the_first_answer():
    invitation = _survey_with_invitation()
    services.response_submit(invitation=invitation, values=_values(invitation))
    with pytest.raises(services.AlreadyAnswered):
        services.response_submit(invitation=invitation, values=_values(invitation, key="satisfied"))
    assert Response.objects.count() == 1


def test_an_expired_survey_takes_no_answer():
    invitation = _survey_with_invitation()
    survey = invitation.survey
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save()
    with pytest.raises(services.SurveyClosed):
        services.response_submit(invitation=invitation, values=_values(invitation))
    assert not Response.objects.exists()


def test_a_choice_of_another_question_is_ignored():
    invitation = _survey_with_invitation()
    first, remarks = invitation.survey.template.questions.all()
    other = Question.objects.create(template=SurveyTemplate.objects.create(name="Autre"), text="?")
    foreign = Choice.objects.create(question=other, label="Ailleurs", key="elsewhere")
    response = services.response_submit(invitation=invitation, values={first.pk: foreign.pk})
    assert not response.answers.get(question=first).choices.exists()
