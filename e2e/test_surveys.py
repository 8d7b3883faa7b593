"""Satisfaction survey in a real browser: an attendee answers through the personal link."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from observatoire.surveys import services
from observatoire.surveys.models import Response, SurveyInvitation
from observatoire.surveys.tests.factories import ensure_default_template, make_training

pytestmark = pytest.mark.browser


def test_an_attendee_answers_the_satisfaction_survey(page, live_server, settings):
    ensure_default_template()
    settings.SITE_URL = live_server.url
    event = make_training("Monter un projet d'eau et d'assainissement", people=1)
    services.surveys_send_due()  # a transactional test: the mail leaves at once
    invitation = SurveyInvitation.objects.get(survey__event=event)
    (message,) = mail.outbox
    link = re.search(r"http\S+/questionnaire/\S+/", message.body).group(0)
    assert invitation.token in link

    page.goto(link)
    expect(page.get_by_role("heading", name="Questionnaire de satisfaction")).to_be_visible()
    question = page.get_by_role(
        "group", name=re.compile("La formation a-t-elle répondu à vos attentes")
    )
    expect(question).to_be_visible()

    # The required question left out: the error is explained, the remark typed is kept.
    remarks = page.get_by_label("Vos remarques et suggestions")
    remarks.fill("Des exemples très concrets, merci !")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Veuillez répondre à cette question.")
    expect(page.get_by_label("Vos remarques et suggestions")).to_have_value(
        "Des exemples très concrets, merci !"
    )

    # The keyboard reaches the choices.
    summary.get_by_role("link").first.click()
    page.get_by_label("Très satisfait·e").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", name="Merci pour vos réponses !")).to_be_visible()

    response = Response.objects.get()
    answers = {a.question.text: a for a in response.answers.all()}
    assert answers["Vos remarques et suggestions"].text == "Des exemples très concrets, merci !"

    # The link works once.
    page.goto(link)
    expect(
        page.get_by_role("heading", name="Vous avez déjà répondu à ce questionnaire, merci !")
    ).to_be_visible()
