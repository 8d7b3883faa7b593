"""Reads of support: the timelines, the follow-ups due and the figures of a period.

The figures take a `Period` (observatoire.core.periods) and return plain data, so that the
observatory reuses them for its barometers and the annual report.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from observatoire.core.periods import Period
from observatoire.organizations.models import Organization, Person
from observatoire.referentials.models import Country, Departement, Theme

from .models import FollowUpAction, HelpKind, SupportSession


def _with_details(queryset: QuerySet[SupportSession]) -> QuerySet[SupportSession]:
    return queryset.select_related("organization").prefetch_related(
        "staff_members",
        "people",
        "help_kinds",
        "themes",
        "countries",
        Prefetch("follow_ups", queryset=FollowUpAction.objects.select_related("assignee")),
    )


def organization_support_timeline(organization: Organization) -> list[SupportSession]:
    """The sessions given to an organisation, newest first, with their follow-ups."""
    return list(_with_details(SupportSession.objects.filter(organization=organization)))


def person_support_sessions(person: Person) -> list[SupportSession]:
    """The sessions where the person was met, newest first."""
    return list(_with_details(SupportSession.objects.filter(people=person)))


def follow_ups_due(*, assignee=None, include_done_days: int = 0) -> list[FollowUpAction]:
    """Open follow-ups, the earliest due first (so the overdue ones lead), of one assignee or
    of everybody; with `include_done_days`, also those done in that many last days."""
    queryset = FollowUpAction.objects.open()
    if include_done_days:
        since = timezone.now() - datetime.timedelta(days=include_done_days)
        queryset = FollowUpAction.objects.filter(Q(done_at__isnull=True) | Q(done_at__gte=since))
    if assignee is not None:
        queryset = queryset.filter(assignee=assignee)
    return list(
        queryset.select_related("session__organization", "assignee", "done_by").order_by(
            "due_on", "pk"
        )
    )


def follow_up_counts(*, assignee=None, today: datetime.date | None = None) -> dict[str, int]:
    """How many follow-ups are open and how many of them are overdue."""
    today = today or timezone.localdate()
    queryset = FollowUpAction.objects.open()
    if assignee is not None:
        queryset = queryset.filter(assignee=assignee)
    return queryset.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))


# Figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One line of a breakdown: `key` is the filter value of the admin list (None: not given)."""

    key: object
    label: str
    sessions: int
    organizations: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


def support_sessions_in(
    period: Period, organizations: QuerySet[Organization] | None = None
) -> QuerySet[SupportSession]:
    """The sessions held in the period, of `organizations` when given."""
    sessions = SupportSession.objects.between(*period.date_bounds())
    if organizations is not None:
        sessions = sessions.filter(organization__in=organizations)
    return sessions


def support_totals(
    *, period: Period, organizations: QuerySet[Organization] | None = None
) -> dict[str, float | int]:
    """Sessions, organisations supported, minutes and hours of support in the period."""
    totals = support_sessions_in(period, organizations).aggregate(
        sessions=Count("pk"),
        organizations=Count("organization", distinct=True),
        minutes=Sum("duration_minutes"),
    )
    minutes = totals["minutes"] or 0
    return {
        "sessions": totals["sessions"],
        "organizations": totals["organizations"],
        "minutes": minutes,
        "hours": round(minutes / 60, 1),
    }


def _rows(sessions: QuerySet[SupportSession], key: str, labels: dict) -> list[FigureRow]:
    # Grouped by `key`, a session appears once per group even through a many-to-many join,
    # so the sums and counts of each group are exact.
    grouped = (
        sessions.values(key)
        .annotate(
            sessions=Count("pk", distinct=True),
            organizations=Count("organization", distinct=True),
            minutes=Sum("duration_minutes"),
        )
        .order_by()
    )
    rows = [
        FigureRow(
            key=row[key],
            label=labels.get(row[key], ""),
            sessions=row["sessions"],
            organizations=row["organizations"],
            minutes=row["minutes"] or 0,
        )
        for row in grouped
    ]
    rows.sort(key=lambda r: (r.key is None, -r.sessions, r.label))
    return rows


def support_by_departement(
    *, period: Period, organizations: QuerySet[Organization] | None = None
) -> list[FigureRow]:
    """Sessions and organisations supported by département of the organisation's seat."""
    key = "organization__departement"
    labels = {d.pk: f"{d.code} {d.name}" for d in Departement.objects.all()}
    return _rows(support_sessions_in(period, organizations), key, labels)


def support_by_theme(
    *, period: Period, organizations: QuerySet[Organization] | None = None
) -> list[FigureRow]:
    """Sessions and organisations supported by theme of the session (a session may have
    several themes, so the rows add up to more than the total)."""
    labels = {t.pk: t.name for t in Theme.objects.all()}
    return _rows(support_sessions_in(period, organizations), "themes", labels)


def support_by_country(
    *, period: Period, organizations: QuerySet[Organization] | None = None
) -> list[FigureRow]:
    """Sessions and organisations supported by country of the project concerned."""
    sessions = support_sessions_in(period, organizations)
    labels = {c.pk: c.name for c in Country.objects.filter(pk__in=sessions.values("countries"))}
    return _rows(sessions, "countries", labels)


def support_by_help_kind(
    *, period: Period, organizations: QuerySet[Organization] | None = None
) -> list[FigureRow]:
    """Sessions and organisations supported by kind of help (keys are the kinds' codes)."""
    labels = {code: str(label) for code, label in HelpKind.Code.choices}
    return _rows(support_sessions_in(period, organizations), "help_kinds__code", labels)


def support_figures(*, period: Period, organizations: QuerySet[Organization] | None = None) -> dict:
    """Every support figure of the period (of `organizations` when given), as plain data."""
    scope = {"period": period, "organizations": organizations}
    return {
        "period": period,
        "totals": support_totals(**scope),
        "by_departement": support_by_departement(**scope),
        "by_theme": support_by_theme(**scope),
        "by_country": support_by_country(**scope),
        "by_help_kind": support_by_help_kind(**scope),
    }


def support_years() -> list[int]:
    """The years that have sessions, newest first, with the current year always present."""
    years = {d.year for d in SupportSession.objects.dates("occurred_on", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def support_sessions_export_rows(sessions) -> tuple[list[str], list[list]]:
    """The sessions of a (filtered) list as spreadsheet rows, one per session."""
    from django.utils.translation import gettext as _

    headers = [
        _("date"),
        _("organisation"),
        _("département"),
        _("subject"),
        _("mode"),
        _("duration (minutes)"),
        _("staff members"),
        _("people met"),
        _("kinds of help"),
        _("themes"),
        _("countries"),
        _("follow-ups to do"),
        _("summary"),
    ]
    sessions = sessions.select_related("organization__departement").prefetch_related(
        "staff_members", "people", "help_kinds", "themes", "countries", "follow_ups"
    )

    def names(items) -> str:
        return ", ".join(str(item) for item in items)

    rows = [
        [
            s.occurred_on,
            s.organization.name,
            s.organization.departement.code if s.organization.departement else "",
            s.subject,
            s.get_mode_display(),
            s.duration_minutes,
            names(s.staff_members.all()),
            names(s.people.all()),
            names(s.help_kinds.all()),
            names(s.themes.all()),
            names(s.countries.all()),
            sum(1 for f in s.follow_ups.all() if f.done_at is None),
            s.summary,
        ]
        for s in sessions
    ]
    return headers, rows
