import datetime

import pytest
from django.urls import reverse

from observatoire.surveys import services
from observatoire.surveys.forms import field_name
from observatoire.surveys.models import Choice, Response, SurveyInvitation

from .factories import make_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation():
    event = make_training(people=1)
    services.surveys_send_due()
    return SurveyInvitation.objects.get(survey__event=event)


def url(invitation):
    return reverse("surveys:answer", args=[invitation.token])


def questions(invitation):
    return list(invitation.survey.template.questions.all())


def test_the_questionnaire_opens_without_login_with_a_fieldset_per_question(client, invitation):
    response = client.get(url(invitation))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<fieldset") == 2
    assert "La formation a-t-elle répondu à vos attentes dans l&#x27;ensemble ?" in content
    assert "Très satisfait·e" in content


def test_a_missing_required_answer_keeps_what_was_typed(client, invitation):
    first, remarks = questions(invitation)
    response = client.post(url(invitation), {field_name(remarks): "Plus d'exemples concrets"})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Veuillez répondre à cette question." in content
    assert f'id="{field_name(first).replace("question", "id_question")}_error"' in content
    assert "Plus d&#x27;exemples concrets" in content
    assert not Response.objects.exists()


def test_an_answer_then_a_second_use_of_the_link(client, invitation):
    first, remarks = questions(invitation)
    satisfied = Choice.objects.get(question=first, key="satisfied")
    response = client.post(
        url(invitation), {field_name(first): satisfied.pk, field_name(remarks): "Merci !"}
    )
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200
    assert Response.objects.get().answers.get(question=first).choices.get() == satisfied

    again = client.get(url(invitation))
    assert again.status_code == 410
    assert "Vous avez déjà répondu à ce questionnaire, merci !" in again.content.decode()
    again = client.post(url(invitation), {field_name(first): satisfied.pk})
    assert "Vous avez déjà répondu à ce questionnaire, merci !" in again.content.decode()
    assert Response.objects.count() == 1


def test_an_expired_link_says_when_it_closed(client, invitation):
    survey = invitation.survey
    survey.closes_at = datetime.datetime(2026, 3, 14, 12, 0, tzinfo=datetime.UTC)
    survey.save()
    response = client.get(url(invitation))
    assert response.status_code == 410
    assert "Ce questionnaire est clos depuis le 14 mars 2026" in response.content.decode()


@pytest.mark.parametrize("token", ["inconnu", "x" * 300, "%00"])
def test_an_unknown_link_is_a_french_404(client, token):
    response = client.get(f"/questionnaire/{token}/")
    assert response.status_code == 404
    assert "Ce lien de questionnaire n’existe pas" in response.content.decode()


@pytest.mark.parametrize(
    "value", ["abc", "999999", "-1", "1" * 40, "", "\x00", "<script>alert(1)</script>"]
)
def test_no_500_on_any_input(client, invitation, value):
    first, remarks = questions(invitation)
    response = client.post(
        url(invitation), {field_name(first): value, field_name(remarks): value * 2000}
    )
    assert response.status_code in (302, 400)
