"""The survey e-mails leave through a real SMTP conversation."""

import pytest

from observatoire.surveys import services
from observatoire.surveys.models import SurveyInvitation

from .factories import make_training

pytestmark = pytest.mark.django_db


def test_invitation_and_reminder_through_smtp(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://observatoire.example.org"
    event = make_training("Financer un projet avec le 1 % eau", people=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.surveys_send_due()
    invitation = SurveyInvitation.objects.get(survey__event=event)

    (message,) = smtp_server.messages
    assert message["To"] == invitation.registration.email
    assert "Votre avis sur « Financer un projet avec le 1 % eau »" in message["Subject"]
    body = message.get_content()
    assert f"https://observatoire.example.org/questionnaire/{invitation.token}/" in body
    assert "Merci d'avoir participé" in body
    assert "Le questionnaire sera clos le" in body

    with django_capture_on_commit_callbacks(execute=True):
        services.event_survey_remind(survey=invitation.survey)
    assert len(smtp_server.messages) == 2
    reminder = smtp_server.messages[1]
    assert reminder["Subject"].endswith(
        "Rappel : votre avis sur « Financer un projet avec le 1 % eau »"
    )
    assert invitation.token in reminder.get_content()
