"""Demo satisfaction surveys: every past training of the demo gets its survey and answers.

The events come from events/demo.py, which runs before this module (INSTALLED_APPS order); with
no past training this does nothing. No mail is sent.
"""

import datetime
import random

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from observatoire.events.models import Event

from . import notifications, services
from .models import EventSurvey, Question, SurveyTemplate

# Weights of the answers to the overall satisfaction question, as in a network's annual report.
SATISFACTION_WEIGHTS = {
    "very_satisfied": 74,
    "satisfied": 23,
    "not_very_satisfied": 3,
    "not_at_all_satisfied": 0,
}

REMARKS = [
    "Formatrice très claire, des exemples concrets qui parlent à une petite association.",
    "Un peu court : une demi-journée de plus pour les budgets aurait été utile.",
    "Merci pour les documents partagés, je les ai déjà utilisés pour notre dossier AFD.",
    "Les échanges entre participants étaient aussi riches que les apports.",
    "Il serait bien de refaire cette session en présentiel à Limoges ou Poitiers.",
    "Le format en ligne sur plusieurs séances est pratique quand on est bénévole.",
    "J'aurais aimé davantage de temps sur le suivi-évaluation.",
    "Très utile pour préparer notre mission au Burkina Faso.",
    "Quelques problèmes de son lors de la deuxième séance.",
    "Parfait pour une première approche des ODD.",
]


def _past_trainings(now: datetime.datetime):
    return (
        Event.objects.trainings()
        .exclude(status=Event.Status.CANCELLED)
        .filter(survey__isnull=True)
        .annotate(ends_at=Max("sittings__ends_at"))
        .filter(ends_at__lt=now)
        .order_by("ends_at", "pk")
    )


def _answers(rng: random.Random, questions: list[Question]) -> dict[int, object]:
    values: dict[int, object] = {}
    for question in questions:
        if question.has_choices:
            choices = {choice.key: choice for choice in question.choices.all()}
            if set(SATISFACTION_WEIGHTS) <= set(choices):
                key = rng.choices(
                    list(SATISFACTION_WEIGHTS), weights=list(SATISFACTION_WEIGHTS.values())
                )[0]
                values[question.pk] = choices[key].pk
            elif choices:
                values[question.pk] = rng.choice(list(choices.values())).pk
        elif question.kind == Question.Kind.SCALE:
            values[question.pk] = rng.randint(
                max(question.scale_min, question.scale_max - 2), question.scale_max
            )
        elif question.kind == Question.Kind.FREE_TEXT and rng.random() < 0.3:
            values[question.pk] = rng.choice(REMARKS)
    return values


def load_demo_surveys(*, seed: int = 2207) -> list[EventSurvey]:
    """Survey every past training with the default template; 55 to 80 % of participants answer."""
    rng = random.Random(seed)
    now = timezone.now()
    template = SurveyTemplate.objects.filter(is_default=True).first()
    if template is None:
        return []
    questions = list(template.questions.prefetch_related("choices"))
    surveys = []
    with transaction.atomic(), notifications.muted():
        for event in _past_trainings(now):
            sent_at = min(event.ends_at + datetime.timedelta(days=1), now)
            survey = services.event_survey_create(event=event, template=template)
            services.event_survey_send(survey=survey, now=sent_at)
            invitations = list(survey.invitations.select_related("registration"))
            rate = rng.uniform(0.55, 0.80)
            answering = rng.sample(invitations, k=round(len(invitations) * rate))
            closes_at = survey.closes_at
            for invitation in answering:
                answered_at = sent_at + datetime.timedelta(hours=rng.randint(1, 24 * 10))
                if closes_at and answered_at >= closes_at:
                    answered_at = closes_at - datetime.timedelta(hours=1)
                answered_at = min(answered_at, now)
                services.response_submit(
                    invitation=invitation, values=_answers(rng, questions), now=answered_at
                )
            reminder = sent_at + datetime.timedelta(days=7)
            if reminder < now:
                services.event_survey_remind(survey=survey, now=reminder)
            surveys.append(survey)
    return surveys


def load_demo(*, seed: int) -> None:
    load_demo_surveys(seed=seed)
