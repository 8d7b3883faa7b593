"""Read-side of the surveys: the invitation behind a link, results per event, the yearly table.

Plain functions that the results pages, the exports and the observatory share.
"""

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from observatoire.core.periods import Period
from observatoire.events.models import Event, Registration, Sitting
from observatoire.events.selectors import participations

from .models import Answer, Choice, EventSurvey, Question, SurveyInvitation

VERY_SATISFIED = "very_satisfied"
SATISFIED = "satisfied"


TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


def invitation_for_token(*, token: str) -> SurveyInvitation | None:
    """The invitation of a personal link, or None for an unknown one."""
    # Tokens are URL-safe base64; anything else (a NUL byte PostgreSQL refuses) is unknown.
    if not token or len(token) > 64 or not TOKEN_CHARACTERS.fullmatch(token):
        return None
    return (
        SurveyInvitation.objects.select_related("survey__event", "survey__template")
        .filter(token=token)
        .first()
    )


def survey_questions(*, survey: EventSurvey) -> list[Question]:
    return list(survey.template.questions.prefetch_related("choices"))


def percent(part: int, whole: int) -> Decimal | None:
    """`part` out of `whole` as a percentage with one decimal, None when `whole` is zero."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class ChoiceResult:
    label: str
    key: str
    count: int
    share: Decimal | None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    choices: list[ChoiceResult] = field(default_factory=list)
    average: Decimal | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (who, text)


@dataclass
class SurveyResults:
    survey: EventSurvey
    invited: int
    answered: int
    response_rate: Decimal | None
    questions: list[QuestionResult]


def survey_results(*, survey: EventSurvey) -> SurveyResults:
    """Response rate, shares per choice, scale averages and free-text answers of one survey.

    Free-text answers carry the name of who wrote them, unless the template is anonymous.
    """
    anonymous = survey.template.anonymous
    counts = survey.invitations.aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )
    answers = Answer.objects.filter(response__survey=survey)
    answered_per_question = dict(
        answers.values("question").annotate(n=Count("pk")).values_list("question", "n")
    )
    per_choice = dict(
        Choice.objects.filter(answers__response__survey=survey)
        .values("pk")
        .annotate(n=Count("answers"))
        .values_list("pk", "n")
    )
    scale = dict(
        answers.filter(scale_value__isnull=False)
        .values("question")
        .annotate(total=Count("pk"), s=Sum("scale_value"))
        .values_list("question", "s")
    )
    texts = answers.exclude(text="").select_related("response__invitation__registration__person")
    texts_per_question: dict[int, list[tuple[str, str]]] = {}
    for answer in texts.order_by("pk"):
        who = ""
        invitation = answer.response.invitation
        if not anonymous and invitation is not None:
            who = str(invitation.registration.person)
        texts_per_question.setdefault(answer.question_id, []).append((who, answer.text))
    results = []
    for question in survey_questions(survey=survey):
        answered = answered_per_question.get(question.pk, 0)
        result = QuestionResult(question=question, answered=answered)
        if question.has_choices:
            for choice in question.choices.all():
                count = per_choice.get(choice.pk, 0)
                result.choices.append(
                    ChoiceResult(choice.label, choice.key, count, percent(count, answered))
                )
        elif question.kind == Question.Kind.SCALE and answered:
            total = scale.get(question.pk) or 0
            result.average = (Decimal(total) / answered).quantize(Decimal("0.1"), ROUND_HALF_UP)
        result.texts = texts_per_question.get(question.pk, [])
        results.append(result)
    return SurveyResults(
        survey=survey,
        invited=counts["invited"],
        answered=counts["answered"],
        response_rate=percent(counts["answered"], counts["invited"]),
        questions=results,
    )


@dataclass
class TrainingRow:
    event: Event | None
    title: str
    dates: str
    place: str
    participants: int
    satisfaction_answers: int
    very_satisfied: int
    satisfied: int
    invited: int
    answered: int

    @property
    def very_satisfied_share(self) -> Decimal | None:
        return percent(self.very_satisfied, self.satisfaction_answers)

    @property
    def satisfied_share(self) -> Decimal | None:
        return percent(self.satisfied, self.satisfaction_answers)

    @property
    def response_rate(self) -> Decimal | None:
        return percent(self.answered, self.invited)


@dataclass
class TrainingsTable:
    year: int
    rows: list[TrainingRow]
    total: TrainingRow
    period: Period | None = None


def trainings_of_year(*, year: int) -> QuerySet[Event]:
    """The trainings (not cancelled) whose first sitting falls in `year`, oldest first."""
    return trainings_of_period(period=Period.year(year))


def trainings_of_period(*, period: Period) -> QuerySet[Event]:
    """The trainings (not cancelled) whose first sitting falls in the period, oldest first."""
    start, end = period.bounds()
    return (
        Event.objects.trainings()
        .exclude(status=Event.Status.CANCELLED)
        .annotate(first_start=F("first_starts_at"))
        .filter(first_start__gte=start, first_start__lt=end)
        .order_by("first_start", "pk")
    )


def sitting_dates(sittings: list[Sitting]) -> str:
    days = []
    for sitting in sittings:
        day = timezone.localtime(sitting.starts_at).date()
        if day not in days:
            days.append(day)
    return ", ".join(date_format(day, "SHORT_DATE_FORMAT") for day in days)


def event_place(event: Event) -> str:
    place = ", ".join(
        part for part in (event.venue, event.commune.name if event.commune else "") if part
    )
    if event.online_url:
        return f"{place} {_('and online')}" if place else _("Online")
    return place


def trainings_table(*, year: int | None = None, period: Period | None = None) -> TrainingsTable:
    """The yearly table of trainings: dates and place, participants, satisfaction, response rate.

    Participants are counted with events.selectors.participations; the shares are those of the
    answers to the question whose choices carry the keys very_satisfied and satisfied.
    """
    if period is None:
        assert year is not None, "a year or a period"
        period = Period.year(year)
    events = list(
        trainings_of_period(period=period)
        .select_related("commune", "survey")
        .prefetch_related(Prefetch("sittings", queryset=Sitting.objects.order_by("starts_at")))
    )
    ids = [event.pk for event in events]
    participants = dict(
        participations(Registration.objects.filter(event_id__in=ids))
        .values("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    invitations = {
        row["survey__event_id"]: row
        for row in SurveyInvitation.objects.filter(survey__event_id__in=ids)
        .values("survey__event_id")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False)))
    }
    satisfaction_answers = dict(
        Answer.objects.filter(
            response__survey__event_id__in=ids, question__choices__key=VERY_SATISFIED
        )
        .values("response__survey__event_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("response__survey__event_id", "n")
    )
    keyed: dict[tuple[int, str], int] = {}
    for event_id, key, count in (
        Answer.objects.filter(
            response__survey__event_id__in=ids, choices__key__in=[VERY_SATISFIED, SATISFIED]
        )
        .values("response__survey__event_id", "choices__key")
        .annotate(n=Count("pk", distinct=True))
        .values_list("response__survey__event_id", "choices__key", "n")
    ):
        keyed[(event_id, key)] = count
    rows = []
    for event in events:
        counts = invitations.get(event.pk, {})
        rows.append(
            TrainingRow(
                event=event,
                title=event.title,
                dates=sitting_dates(list(event.sittings.all())),
                place=event_place(event),
                participants=participants.get(event.pk, 0),
                satisfaction_answers=satisfaction_answers.get(event.pk, 0),
                very_satisfied=keyed.get((event.pk, VERY_SATISFIED), 0),
                satisfied=keyed.get((event.pk, SATISFIED), 0),
                invited=counts.get("invited", 0),
                answered=counts.get("answered", 0),
            )
        )
    total = TrainingRow(
        event=None,
        title=_("Total: %(count)s trainings") % {"count": len(rows)},
        dates="",
        place="",
        participants=sum(row.participants for row in rows),
        satisfaction_answers=sum(row.satisfaction_answers for row in rows),
        very_satisfied=sum(row.very_satisfied for row in rows),
        satisfied=sum(row.satisfied for row in rows),
        invited=sum(row.invited for row in rows),
        answered=sum(row.answered for row in rows),
    )
    return TrainingsTable(year=period.start.year, rows=rows, total=total, period=period)


def trainings_table_export(*, table: TrainingsTable) -> tuple[list[str], list[list]]:
    """Headers and rows of the yearly table for the CSV and XLSX downloads."""
    headers = [
        _("Training"),
        _("Dates"),
        _("Place"),
        _("Participants"),
        _("Very satisfied (%)"),
        _("Satisfied (%)"),
        _("Response rate (%)"),
    ]
    rows = [
        [
            row.title,
            row.dates,
            row.place,
            row.participants,
            row.very_satisfied_share,
            row.satisfied_share,
            row.response_rate,
        ]
        for row in [*table.rows, table.total]
    ]
    return headers, rows


def trainings_years() -> list[int]:
    """The years that have trainings, newest first, and always the current one."""
    current = timezone.localdate().year
    years = {current}
    for start in Sitting.objects.filter(event__kind=Event.Kind.TRAINING).dates("starts_at", "year"):
        years.add(start.year)
    return sorted(years, reverse=True)
