"""Support sessions (accompagnements): the individual help staff give to an organisation."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from observatoire.accounts.models import BACK_OFFICE_ROLES
from observatoire.organizations.models import Organization, Person
from observatoire.referentials.models import Country, Theme

# A working day is the longest session worth recording as one.
# Staff who leave keep their sessions and follow-ups: the accounts are limited by role only,
# and the forms and services offer and accept active accounts for new entries.
MAX_DURATION_MINUTES = 12 * 60


class HelpKind(models.Model):
    """A kind of help given in a session; one row per code, so that figures count in SQL."""

    class Code(models.TextChoices):
        PROJECT_DESIGN = "project_design", _("Project design")
        FUNDING_SEARCH = "funding_search", _("Funding search")
        STRUCTURING = "structuring", _("Structuring")
        PARTNERSHIP = "partnership", _("Partnership")
        EVALUATION = "evaluation", _("Evaluation")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=30, choices=Code.choices, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("kind of help")
        verbose_name_plural = _("kinds of help")

    def __str__(self) -> str:
        return str(self.get_code_display())


class SupportSessionQuerySet(models.QuerySet):
    def between(self, start: datetime.date, end: datetime.date):
        """Sessions held from `start` (included) to `end` (excluded)."""
        return self.filter(occurred_on__gte=start, occurred_on__lt=end)


class SupportSession(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video call")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="support_sessions",
        verbose_name=_("organisation"),
    )
    occurred_on = models.DateField(_("date"), db_index=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        validators=[
            MinValueValidator(1, message=_("The duration must be at least one minute.")),
            MaxValueValidator(
                MAX_DURATION_MINUTES,
                message=_("A session lasts at most %(limit_value)s minutes (a working day)."),
            ),
        ],
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    subject = models.CharField(_("subject"), max_length=255)
    summary = models.TextField(_("summary"), max_length=10000, blank=True)
    staff_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="support_sessions",
        verbose_name=_("staff members"),
        limit_choices_to={"role__in": sorted(BACK_OFFICE_ROLES)},
    )
    people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="support_sessions",
        verbose_name=_("people met"),
    )
    help_kinds = models.ManyToManyField(
        HelpKind, related_name="sessions", verbose_name=_("kinds of help")
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="+", verbose_name=_("themes"))
    countries = models.ManyToManyField(
        Country,
        blank=True,
        related_name="+",
        verbose_name=_("countries of the project"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[staff_members, people, help_kinds, themes, countries],
        excluded_fields=["updated_at"],
    )
    objects = SupportSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("support session")
        verbose_name_plural = _("support sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="support_session_duration_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d/%m/%Y} — {self.organization.name} — {self.subject}"


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def done(self):
        return self.filter(done_at__isnull=False)

    def overdue(self, *, today: datetime.date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class FollowUpAction(models.Model):
    """Something to do after a session, by a date; done when `done_at` is set."""

    session = models.ForeignKey(
        SupportSession,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("support session"),
    )
    description = models.CharField(_("action"), max_length=500)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("assigned to"),
        limit_choices_to={"role__in": sorted(BACK_OFFICE_ROLES)},
    )
    due_on = models.DateField(_("due on"), db_index=True)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )

    history = HistoricalRecords()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up action")
        # The back-office menu lists the follow-ups under this name.
        verbose_name_plural = _("follow-ups to do")

    def __str__(self) -> str:
        return self.description

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class SupportFigures(SupportSession):
    """No table of its own: the entry of the figures page in the back-office menu."""

    class Meta:
        proxy = True
        verbose_name = _("support figures")
        verbose_name_plural = _("support figures")
        default_permissions = ()
