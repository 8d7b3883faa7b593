"""Figures of events the back office shows now and the observatory will reuse.

Every count of people is a count of participations (`selectors.participations`): one person at
two meetings counts twice, as in the network's annual report ("9 meetings, 191 participants").
Figures over a period only take events that are not cancelled and have already started.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.core.periods import Period
from observatoire.groups.models import Group
from observatoire.organizations.models import Membership
from observatoire.referentials.models import College, Country, Departement, OrganizationKind

from .models import Event, Registration
from .selectors import participations

# The kinds that are meetings of the network's life; any event of a group is one too.
MEETING_KINDS = [Event.Kind.MEETING, Event.Kind.WORKING_GROUP, Event.Kind.GENERAL_ASSEMBLY]
FRANCE = "FR"


@dataclass(frozen=True)
class Share:
    """One line of a breakdown: what (its primary key, for links), its label and the count."""

    pk: int | None
    label: str
    count: int


@dataclass
class YearRow:
    year: int
    events: int = 0
    participants: int = 0


@dataclass
class GroupRow:
    group: Group | None
    meetings: int = 0
    participants: int = 0
    years: dict[int, YearRow] = field(default_factory=dict)


def with_first_start(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(first_start=F("first_starts_at"))  # stored: see events.spans


def events_held(period: Period, *, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """Events not cancelled whose first sitting started in the period, and already started."""
    now = now or timezone.now()
    start, end = period.bounds()
    return (
        with_first_start(Event.objects.exclude(status=Event.Status.CANCELLED))
        .filter(first_start__gte=start, first_start__lt=min(end, now))
        .order_by("first_start")
    )


def meetings(events: QuerySet[Event]) -> QuerySet[Event]:
    """The meetings among `events`: meetings, working groups, general assemblies, group events."""
    return events.filter(Q(kind__in=MEETING_KINDS) | Q(group__isnull=False))


def _participations_of(events: QuerySet[Event]) -> QuerySet[Registration]:
    return participations(Registration.objects.filter(event__in=events.values("pk")))


def _year_of(moment: datetime.datetime | None) -> int | None:
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_current_timezone()).year


def _breakdown(counts: dict, labels: dict, unknown: str) -> list[Share]:
    rows = [
        Share(pk, str(labels[pk]) if pk is not None else str(unknown), n)
        for pk, n in counts.items()
        if n
    ]
    # Most first; the unknown line last.
    return sorted(rows, key=lambda row: (row.pk is None, -row.count, row.label))


def participants_by_organization_kind(events: QuerySet[Event]) -> list[Share]:
    """Participations per kind of the organisation the person registered for."""
    counts = dict(
        _participations_of(events)
        .values_list("organization__kind")
        .annotate(n=Count("pk"))
        .values_list("organization__kind", "n")
    )
    labels = OrganizationKind.objects.in_bulk([pk for pk in counts if pk is not None])
    return _breakdown(counts, labels, _("No organisation given"))


def participants_by_college(events: QuerySet[Event]) -> list[Share]:
    """Participations per college: of the organisation's membership of the event's year, else
    the default college of its kind."""
    rows = list(
        _participations_of(events).values_list(
            "organization_id", "organization__kind__default_college", "event_id"
        )
    )
    event_years = {
        pk: _year_of(first)
        for pk, first in with_first_start(
            Event.objects.filter(pk__in={row[2] for row in rows})
        ).values_list("pk", "first_start")
    }
    organization_ids = {row[0] for row in rows if row[0] is not None}
    # Up to date: the fee of the year paid by 31 December (MembershipQuerySet.up_to_date).
    membership_college = {
        (organization_id, year): college_id
        for organization_id, year, college_id, paid_on in Membership.objects.filter(
            organization_id__in=organization_ids, paid_on__isnull=False
        ).values_list("organization_id", "year", "college_id", "paid_on")
        if paid_on <= datetime.date(year, 12, 31)
    }
    counts: Counter = Counter()
    for organization_id, default_college, event_id in rows:
        year = event_years.get(event_id)
        counts[membership_college.get((organization_id, year), default_college)] += 1
    labels = College.objects.in_bulk([pk for pk in counts if pk is not None])
    return _breakdown(counts, labels, _("No college"))


def participants_by_departement(events: QuerySet[Event]) -> list[Share]:
    """Participations per département of the organisation's seat."""
    counts = dict(
        _participations_of(events)
        .values_list("organization__departement")
        .annotate(n=Count("pk"))
        .values_list("organization__departement", "n")
    )
    labels = {
        pk: f"{d.code} {d.name}"
        for pk, d in Departement.objects.in_bulk([pk for pk in counts if pk]).items()
    }
    return _breakdown(counts, labels, _("Département unknown"))


def foreign_participants_by_country(events: QuerySet[Event]) -> list[Share]:
    """Participations of people living abroad (country given and not France), per country."""
    counts = dict(
        _participations_of(events)
        .filter(country__isnull=False)
        .exclude(country__iso2=FRANCE)
        .values_list("country")
        .annotate(n=Count("pk"))
        .values_list("country", "n")
    )
    labels = Country.objects.in_bulk(list(counts))
    return _breakdown(counts, labels, "")


def participants_per_event(events: QuerySet[Event]) -> dict[int, int]:
    """{event pk: number of participations}."""
    return dict(
        _participations_of(events)
        .values_list("event")
        .annotate(n=Count("pk"))
        .values_list("event", "n")
    )


def meetings_by_group(events: QuerySet[Event]) -> list[GroupRow]:
    """Meetings and participants per group (and per year inside each group)."""
    chosen = with_first_start(meetings(events))
    per_event = participants_per_event(chosen)
    rows: dict[int | None, GroupRow] = {}
    groups = {}
    listed = list(chosen.values_list("pk", "group", "first_start"))
    if any(group_id for _pk, group_id, _first in listed):
        groups = Group.objects.in_bulk({g for _p, g, _f in listed if g})
    for pk, group_id, first in listed:
        row = rows.setdefault(group_id, GroupRow(group=groups.get(group_id)))
        row.meetings += 1
        row.participants += per_event.get(pk, 0)
        year = _year_of(first)
        if year is not None:
            year_row = row.years.setdefault(year, YearRow(year))
            year_row.events += 1
            year_row.participants += per_event.get(pk, 0)
    return sorted(rows.values(), key=lambda row: (row.group is None, str(row.group or "")))


def _per_year(events: QuerySet[Event]) -> list[YearRow]:
    listed = list(with_first_start(events).values_list("pk", "first_start"))
    per_event = participants_per_event(events)
    years: dict[int, YearRow] = {}
    for pk, first in listed:
        year = _year_of(first)
        if year is None:
            continue
        row = years.setdefault(year, YearRow(year))
        row.events += 1
        row.participants += per_event.get(pk, 0)
    return [years[year] for year in sorted(years)]


def meetings_per_year(events: QuerySet[Event]) -> list[YearRow]:
    """Number of meetings and their participants per year."""
    return _per_year(meetings(events))


def trainings_per_year(events: QuerySet[Event]) -> list[YearRow]:
    """Number of trainings and their participants per year."""
    return _per_year(events.filter(kind=Event.Kind.TRAINING))


@dataclass
class TrainingLine:
    event: Event
    first_start: datetime.datetime | None
    sittings: int
    participants: int
    online: bool
    place: str


def training_table(events: QuerySet[Event]) -> list[TrainingLine]:
    """The trainings of the annual report: title, dates, place, sittings and participants."""
    trainings = (
        with_first_start(events.filter(kind=Event.Kind.TRAINING))
        .annotate(sitting_count=Count("sittings", distinct=True))
        .select_related("commune")
        .order_by("first_start")
    )
    per_event = participants_per_event(trainings)
    return [
        TrainingLine(
            event=event,
            first_start=event.first_start,
            sittings=event.sitting_count,
            participants=per_event.get(event.pk, 0),
            online=bool(event.online_url),
            place=event.commune.name if event.commune else "",
        )
        for event in trainings
    ]


@dataclass
class EventFigures:
    confirmed: int
    waiting: int
    cancelled: int
    participants: int
    no_shows: int
    attendance_taken: bool
    by_kind: list[Share]
    by_college: list[Share]
    by_departement: list[Share]
    foreign_by_country: list[Share]


def event_figures(event: Event) -> EventFigures:
    """The registrations of one event and who took part, broken down."""
    from .models import Attendance

    events = Event.objects.filter(pk=event.pk)
    statuses = defaultdict(
        int,
        event.registrations.values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n"),
    )
    participants = _participations_of(events).count()
    attendance_taken = Attendance.objects.filter(registration__event=event).exists()
    confirmed = statuses[Registration.Status.CONFIRMED]
    return EventFigures(
        confirmed=confirmed,
        waiting=statuses[Registration.Status.WAITING],
        cancelled=statuses[Registration.Status.CANCELLED],
        participants=participants,
        no_shows=confirmed - participants if attendance_taken else 0,
        attendance_taken=attendance_taken,
        by_kind=participants_by_organization_kind(events),
        by_college=participants_by_college(events),
        by_departement=participants_by_departement(events),
        foreign_by_country=foreign_participants_by_country(events),
    )


def group_figures(group: Group, *, now: datetime.datetime | None = None) -> list[YearRow]:
    """Meetings of a group held so far and their participants, per year."""
    now = now or timezone.now()
    held = with_first_start(group.events.exclude(status=Event.Status.CANCELLED)).filter(
        first_start__lt=now
    )
    return _per_year(held)


@dataclass
class PeriodFigures:
    period: Period
    events: int
    participants: int
    meetings: int
    meeting_participants: int
    trainings: int
    training_participants: int
    by_group: list[GroupRow]
    meetings_per_year: list[YearRow]
    trainings_per_year: list[YearRow]
    training_table: list[TrainingLine]
    by_kind: list[Share]
    by_college: list[Share]
    by_departement: list[Share]
    foreign_by_country: list[Share]


def period_figures(period: Period, *, now: datetime.datetime | None = None) -> PeriodFigures:
    """Everything the staff page "Chiffres des événements" shows for a period."""
    held = events_held(period, now=now)
    per_event = participants_per_event(held)
    meeting_ids = set(meetings(held).values_list("pk", flat=True))
    training_ids = set(held.filter(kind=Event.Kind.TRAINING).values_list("pk", flat=True))
    return PeriodFigures(
        period=period,
        events=held.count(),
        participants=sum(per_event.values()),
        meetings=len(meeting_ids),
        meeting_participants=sum(per_event.get(pk, 0) for pk in meeting_ids),
        trainings=len(training_ids),
        training_participants=sum(per_event.get(pk, 0) for pk in training_ids),
        by_group=meetings_by_group(held),
        meetings_per_year=meetings_per_year(held),
        trainings_per_year=trainings_per_year(held),
        training_table=training_table(held),
        by_kind=participants_by_organization_kind(held),
        by_college=participants_by_college(held),
        by_departement=participants_by_departement(held),
        foreign_by_country=foreign_participants_by_country(held),
    )
