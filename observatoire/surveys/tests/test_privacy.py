"""A person's export holds their registrations, answers and groups; erasure keeps only counts."""

import pytest

from observatoire.events.models import Registration
from observatoire.events.selectors import participations
from observatoire.organizations.privacy import person_erase, person_personal_data
from observatoire.surveys import services
from observatoire.surveys.models import Answer, Choice

from .factories import make_training

pytestmark = pytest.mark.django_db


def _answered_training():
    event = make_training(people=2)
    survey = services.event_survey_create(event=event)
    services.event_survey_send(survey=survey)
    invitation = survey.invitations.select_related("registration__person").first()
    first, remarks = survey.template.questions.all()
    services.response_submit(
        invitation=invitation,
        values={
            first.pk: Choice.objects.get(question=first, key="satisfied").pk,
            remarks.pk: "Merci à Fatou pour l'accueil, je suis Awa de Pessac.",
        },
    )
    return event, invitation.registration


def test_the_export_of_a_person_holds_their_registrations_and_answers():
    event, registration = _answered_training()

    data = person_personal_data(registration.person)

    [exported] = data["event_registrations"]
    assert exported["event"] == event.title
    assert exported["email"] == registration.email
    [answers] = data["survey_answers"]
    texts = [answer["text"] for answer in answers["answers"]]
    assert "Merci à Fatou pour l'accueil, je suis Awa de Pessac." in texts
    assert data["groups"] == [] and data["support_sessions"] == []


def test_erasing_a_person_keeps_the_counts_and_nothing_that_identifies_them():
    event, registration = _answered_training()
    participants = participations(event.registrations.all()).count()

    person_erase(person=registration.person)

    registration.refresh_from_db()
    assert "anonyme" in registration.email
    assert not Registration.history.filter(person_id=registration.person_id).exists()
    assert participations(event.registrations.all()).count() == participants
    # The answer still counts in the results, but no longer leads back to the person.
    assert event.survey.responses.count() == 1
    assert event.survey.responses.get().invitation is None
    assert not Answer.objects.exclude(text="").exists()
    assert Answer.objects.filter(choices__key="satisfied").count() == 1
    assert person_personal_data(registration.person)["survey_answers"][0]["answers"] == []
