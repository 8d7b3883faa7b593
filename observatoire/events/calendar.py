"""Reads of the public calendar: published events, their filters, months, the feed."""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from observatoire.groups.models import Group
from observatoire.referentials.models import Theme

from .models import PARIS, Event, Sitting

_SLUG = re.compile(r"^[-\w]+\Z", re.ASCII)


@dataclass(frozen=True)
class CalendarFilters:
    kind: str = ""
    theme: str = ""  # slug
    group: str = ""  # slug

    @classmethod
    def from_query(cls, query) -> "CalendarFilters":
        """The filters of the URL; anything that is not a known kind or a slug is ignored."""
        kind = query.get("type", "")
        theme, group = query.get("theme") or "", query.get("groupe") or ""
        return cls(
            kind=kind if kind in Event.Kind.values else "",
            theme=theme[:60] if _SLUG.match(theme) else "",
            group=group[:200] if _SLUG.match(group) else "",
        )

    def as_query(self) -> dict[str, str]:
        return {
            key: value
            for key, value in (("type", self.kind), ("theme", self.theme), ("groupe", self.group))
            if value
        }


def public_events(filters: CalendarFilters | None = None) -> QuerySet[Event]:
    """Published events with their first start and last end, filtered, ready for a list."""
    # The stored span (events.spans), not a grouping of every event's sittings: a page of the
    # list costs the same whatever the number of events.
    queryset = (
        Event.objects.published()
        .filter(first_starts_at__isnull=False)
        .annotate(first_start=F("first_starts_at"), last_end=F("last_ends_at"))
        .select_related("commune", "group")
        .prefetch_related(
            "themes", Prefetch("sittings", queryset=Sitting.objects.order_by("starts_at"))
        )
    )
    if filters is not None:
        if filters.kind:
            queryset = queryset.filter(kind=filters.kind)
        if filters.theme:
            queryset = queryset.filter(themes__slug=filters.theme)
        if filters.group:
            queryset = queryset.filter(group__slug=filters.group)
    return queryset


def upcoming_events(filters: CalendarFilters, *, now=None) -> QuerySet[Event]:
    now = now or timezone.now()
    return public_events(filters).filter(last_ends_at__gte=now).order_by("first_starts_at", "pk")


def past_events(filters: CalendarFilters, *, now=None) -> QuerySet[Event]:
    now = now or timezone.now()
    return public_events(filters).filter(last_ends_at__lt=now).order_by("-first_starts_at", "-pk")


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = zoneinfo.ZoneInfo(PARIS)
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    following = datetime.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, following


def month_sittings(filters: CalendarFilters, *, year: int, month: int) -> list[Sitting]:
    """Sittings of published events overlapping the month (Paris time), by start."""
    start, end = month_bounds(year, month)
    events = public_events(filters).values("pk")
    return list(
        Sitting.objects.filter(event__in=events, starts_at__lt=end, ends_at__gte=start)
        .select_related("event")
        .order_by("starts_at", "pk")
    )


def filter_choices() -> dict:
    return {
        "kinds": Event.Kind.choices,
        "themes": [(theme.slug, theme.name) for theme in Theme.objects.active()],
        "groups": list(
            Group.objects.filter(is_published=True, events__status=Event.Status.PUBLISHED)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        ),
    }


def public_event(slug: str) -> Event | None:
    return (
        Event.objects.published()
        .filter(slug=slug)
        .select_related("commune", "group")
        .prefetch_related("themes", "sdgs", "countries", "partner_organizers", "sittings")
        .first()
    )


def feed_events(*, now=None) -> QuerySet[Event]:
    """Events of the feed: published or cancelled, ended less than a year ago or to come."""
    now = now or timezone.now()
    return (
        Event.objects.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])
        .filter(last_ends_at__gte=now - datetime.timedelta(days=365))
        .annotate(last_end=F("last_ends_at"))
        .select_related("commune")
        .prefetch_related("sittings")
        .order_by("pk")
    )
