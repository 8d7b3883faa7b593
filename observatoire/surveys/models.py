"""Satisfaction surveys: templates of questions, the survey of an event, invitations, answers."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from observatoire.core.models import TimeStampedModel
from observatoire.events.models import Event, Registration


def new_token() -> str:
    return secrets.token_urlsafe(24)


class SurveyTemplate(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    intro = models.TextField(
        _("introduction"),
        max_length=3000,
        blank=True,
        help_text=_("Shown above the questions and in the e-mail."),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("Answers are stored without any link to the person who gave them."),
    )
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Given to new events of the kinds below."),
    )
    event_kinds = models.JSONField(
        _("kinds of event"),
        default=list,
        blank=True,
        help_text=_("Events of these kinds get this template automatically."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")

    def __str__(self) -> str:
        return self.name

    def clean(self):
        known = set(Event.Kind.values)
        unknown = [kind for kind in self.event_kinds or [] if kind not in known]
        if unknown:
            raise ValidationError({"event_kinds": _("Unknown kind of event.")})


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE = "scale", _("Scale")
        FREE_TEXT = "free_text", _("Free text")

    template = models.ForeignKey(
        SurveyTemplate,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("template"),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    required = models.BooleanField(_("required"), default=True)
    scale_min = models.SmallIntegerField(
        _("scale from"), default=1, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    scale_max = models.SmallIntegerField(
        _("scale to"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    scale_min_label = models.CharField(_("label of the lowest value"), max_length=100, blank=True)
    scale_max_label = models.CharField(_("label of the highest value"), max_length=100, blank=True)

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if self.kind == self.Kind.SCALE and self.scale_max <= self.scale_min:
            raise ValidationError(
                {"scale_max": _("The highest value must be above the lowest one.")}
            )

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=200)
    key = models.SlugField(
        _("key"),
        max_length=50,
        blank=True,
        help_text=_("A stable name used by the figures, for example very_satisfied."),
    )

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.label


class EventSurveyQuerySet(models.QuerySet):
    def open_at(self, moment: datetime.datetime):
        return self.filter(sent_at__isnull=False).filter(
            Q(closes_at__isnull=True) | Q(closes_at__gt=moment)
        )


def default_send_after() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.SURVEY_SEND_DELAY_HOURS)


class EventSurvey(TimeStampedModel):
    """The survey of one event: which template, when it goes out, when it closes."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="survey", verbose_name=_("event")
    )
    template = models.ForeignKey(
        SurveyTemplate,
        on_delete=models.PROTECT,
        related_name="event_surveys",
        verbose_name=_("template"),
    )
    send_after = models.DurationField(
        _("send after"),
        default=default_send_after,
        help_text=_("Delay after the end of the last sitting, for example 1 00:00:00 for a day."),
    )
    open_days = models.PositiveIntegerField(
        _("open for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes on"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent on"), null=True, blank=True)

    objects = EventSurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("event survey")
        verbose_name_plural = _("event surveys")

    def __str__(self) -> str:
        return str(self.event)

    def is_closed(self, moment: datetime.datetime) -> bool:
        return self.closes_at is not None and self.closes_at <= moment


class SurveyInvitation(models.Model):
    """The personal one-time link sent to one participant."""

    survey = models.ForeignKey(
        EventSurvey,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("survey"),
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="survey_invitations",
        verbose_name=_("registration"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded on"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration"], name="one_invitation_per_registration"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.email} — {self.survey}"


class Response(models.Model):
    """One filled questionnaire. Anonymous templates keep no invitation here."""

    survey = models.ForeignKey(
        EventSurvey,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("survey"),
    )
    invitation = models.OneToOneField(
        SurveyInvitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
        verbose_name=_("invitation"),
    )
    # The day only: an exact time could be matched with the invitation's answered_at.
    submitted_on = models.DateField(_("answered on"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.survey} — {self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    choices = models.ManyToManyField(
        Choice, blank=True, related_name="answers", verbose_name=_("choices")
    )
    scale_value = models.SmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), max_length=5000, blank=True)

    class Meta:
        ordering = ["response", "question"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} — {self.response_id}"


class TrainingSatisfaction(EventSurvey):
    """The yearly table of trainings and their satisfaction, as a page of the back office."""

    class Meta:
        proxy = True
        verbose_name = _("yearly trainings table")
        verbose_name_plural = _("yearly trainings table")
