import pytest
from django.core import mail

from observatoire.surveys import demo, selectors
from observatoire.surveys.models import EventSurvey

from .factories import make_training

pytestmark = pytest.mark.django_db


def test_the_demo_does_nothing_without_trainings():
    demo.load_demo(seed=1)
    assert not EventSurvey.objects.exists()


def test_the_demo_surveys_every_past_training(django_capture_on_commit_callbacks):
    past = [
        make_training("Monter un projet", people=12, ended_days_ago=60, sittings=3),
        make_training("Le cycle de projet", people=20, ended_days_ago=5),
    ]
    make_training("À venir", people=5, ended_days_ago=-10)

    with django_capture_on_commit_callbacks(execute=True):
        demo.load_demo(seed=7)

    assert set(EventSurvey.objects.values_list("event", flat=True)) == {e.pk for e in past}
    assert mail.outbox == []  # muted
    for survey in EventSurvey.objects.all():
        results = selectors.survey_results(survey=survey)
        assert 55 <= results.response_rate <= 80
        shares = {c.key: c.share for c in results.questions[0].choices}
        assert shares["very_satisfied"] + shares["satisfied"] >= 60
    # Loading twice adds nothing.
    demo.load_demo(seed=7)
    assert EventSurvey.objects.count() == 2
