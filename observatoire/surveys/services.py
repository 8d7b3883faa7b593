"""Writes of the satisfaction surveys: create, send, remind, record an answer."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from observatoire.events.models import Event
from observatoire.events.selectors import participations

from . import notifications
from .models import (
    Answer,
    Choice,
    EventSurvey,
    Question,
    Response,
    SurveyInvitation,
    SurveyTemplate,
)


class SurveyClosed(Exception):
    """The survey no longer takes answers."""

    def __init__(self, closes_at: datetime.datetime):
        super().__init__(closes_at)
        self.closes_at = closes_at


class AlreadyAnswered(Exception):
    """This personal link was already used."""


def default_template_for(*, kind: str) -> SurveyTemplate | None:
    """The default template of this kind of event, if any."""
    for template in SurveyTemplate.objects.filter(is_default=True).order_by("pk"):
        if kind in (template.event_kinds or []):
            return template
    return None


def event_ends_at(*, event: Event) -> datetime.datetime | None:
    """When the last sitting of the event ends."""
    return event.sittings.aggregate(end=Max("ends_at"))["end"]


def event_survey_create(
    *, event: Event, template: SurveyTemplate | None = None
) -> EventSurvey | None:
    """The survey of `event` with `template` (or its kind's default); None if there is none."""
    existing = EventSurvey.objects.filter(event=event).first()
    if existing is not None:
        return existing
    template = template or default_template_for(kind=event.kind)
    if template is None:
        return None
    survey = EventSurvey(event=event, template=template)
    survey.full_clean()
    survey.save()
    return survey


def surveys_create_for_ended_events(*, now: datetime.datetime | None = None) -> int:
    """Give the default survey to recently ended events of a kind that has one."""
    now = now or timezone.now()
    kinds = {
        kind
        for template in SurveyTemplate.objects.filter(is_default=True)
        for kind in template.event_kinds or []
    }
    # Only events ended lately: installing the feature must not survey years of past events.
    recent = now - datetime.timedelta(days=30)
    events = (
        Event.objects.filter(kind__in=kinds, survey__isnull=True)
        .exclude(status=Event.Status.CANCELLED)
        .annotate(ends_at=Max("sittings__ends_at"))
        .filter(ends_at__gt=recent, ends_at__lte=now)
    )
    created = 0
    for event in events:
        if event_survey_create(event=event) is not None:
            created += 1
    return created


@transaction.atomic
def event_survey_send(*, survey: EventSurvey, now: datetime.datetime | None = None) -> int:
    """Invite every participant not invited yet; returns how many invitations went out.

    Idempotent: an invitation is recorded as sent before its mail leaves, so a second run (or a
    second clock) sends nothing twice. Participants recorded later get theirs on the next run.
    """
    now = now or timezone.now()
    survey = EventSurvey.objects.select_for_update().get(pk=survey.pk)
    if survey.is_closed(now):
        return 0
    invited = SurveyInvitation.objects.filter(survey=survey).values("registration_id")
    attendees = participations(survey.event.registrations.all()).exclude(pk__in=invited)
    SurveyInvitation.objects.bulk_create(
        [SurveyInvitation(survey=survey, registration=registration) for registration in attendees]
    )
    pending = list(
        SurveyInvitation.objects.filter(survey=survey, sent_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    SurveyInvitation.objects.filter(pk__in=pending).update(sent_at=now)
    if survey.sent_at is None:
        survey.sent_at = now
        survey.closes_at = now + datetime.timedelta(days=survey.open_days)
        survey.save(update_fields=["sent_at", "closes_at", "updated_at"])
    for pk in pending:
        notifications.after_commit(notifications.enqueue_invitation, invitation_id=pk)
    return len(pending)


def surveys_send_due(*, now: datetime.datetime | None = None) -> int:
    """Send the surveys of events that ended more than their delay ago."""
    now = now or timezone.now()
    surveys_create_for_ended_events(now=now)
    due = (
        EventSurvey.objects.filter(sent_at__isnull=True)
        .exclude(event__status=Event.Status.CANCELLED)
        .annotate(ends_at=Max("event__sittings__ends_at"))
        .filter(ends_at__isnull=False)
    )
    sent = 0
    for survey in due:
        if survey.ends_at + survey.send_after <= now:
            sent += event_survey_send(survey=survey, now=now)
    return sent


@transaction.atomic
def event_survey_remind(*, survey: EventSurvey, now: datetime.datetime | None = None) -> int:
    """One reminder to each invited person who has not answered, while the survey is open."""
    now = now or timezone.now()
    survey = EventSurvey.objects.select_for_update().get(pk=survey.pk)
    if survey.sent_at is None or survey.is_closed(now):
        return 0
    pending = list(
        survey.invitations.filter(
            sent_at__isnull=False, answered_at__isnull=True, reminded_at__isnull=True
        ).values_list("pk", flat=True)
    )
    SurveyInvitation.objects.filter(pk__in=pending).update(reminded_at=now)
    survey.reminder_sent_at = now
    survey.save(update_fields=["reminder_sent_at", "updated_at"])
    for pk in pending:
        notifications.after_commit(notifications.enqueue_reminder, invitation_id=pk)
    return len(pending)


def surveys_send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind, once, the surveys sent more than SURVEY_REMINDER_DAYS ago and still open."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.SURVEY_REMINDER_DAYS)
    due = EventSurvey.objects.open_at(now).filter(reminder_sent_at__isnull=True, sent_at__lte=since)
    return sum(event_survey_remind(survey=survey, now=now) for survey in due)


def _answer_values(question: Question, value) -> dict | None:
    """The fields of an Answer for a cleaned form value; None when the question was skipped."""
    if value in (None, "", []):
        return None
    if question.kind == Question.Kind.FREE_TEXT:
        return {"text": str(value).strip()}
    if question.kind == Question.Kind.SCALE:
        return {"scale_value": int(value)}
    ids = value if isinstance(value, list) else [value]
    return {"choice_ids": [int(pk) for pk in ids]}


@transaction.atomic
def response_submit(
    *, invitation: SurveyInvitation, values: dict[int, object], now=None
) -> Response:
    """Record the answers given through a personal link, once.

    `values` maps question ids to cleaned form values. With an anonymous template the response
    keeps no link to the invitation: only the invitation records that it was used.
    """
    now = now or timezone.now()
    invitation = (
        SurveyInvitation.objects.select_for_update()
        .select_related("survey__template")
        .get(pk=invitation.pk)
    )
    survey = invitation.survey
    if invitation.answered_at is not None:
        raise AlreadyAnswered
    if survey.is_closed(now):
        raise SurveyClosed(survey.closes_at)
    anonymous = survey.template.anonymous
    response = Response.objects.create(
        survey=survey,
        invitation=None if anonymous else invitation,
        submitted_on=timezone.localdate(now),
    )
    questions = {q.pk: q for q in survey.template.questions.all()}
    valid_choices = set(
        Choice.objects.filter(question__template=survey.template).values_list("pk", "question_id")
    )
    for pk, question in questions.items():
        fields = _answer_values(question, values.get(pk))
        if fields is None:
            continue
        choice_ids = [
            choice for choice in fields.pop("choice_ids", []) if (choice, pk) in valid_choices
        ]
        answer = Answer.objects.create(response=response, question=question, **fields)
        if choice_ids:
            answer.choices.set(choice_ids)
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    return response
