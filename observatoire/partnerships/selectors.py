"""Reads of decentralised cooperation: lists, the timeline of a partnership, and what else
happens in the partner's town (the local officer's watch)."""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.core.text import fold
from observatoire.organizations.models import InterventionPlace, Organization

from .models import Agreement, Mission, MissionParticipant, Partnership, PartnershipContact

# Two places closer than this are "the same place": a town and its suburbs, or two spellings.
NEAR_KM = 25.0


def partnerships_list(queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """A list of partnerships with what a list row shows, in a fixed number of queries."""
    today = timezone.localdate()
    return (
        queryset.select_related("french_authority", "foreign_authority__seat_country", "officer")
        .order_by("french_authority__name", "foreign_authority__name", "pk")
        .annotate(
            coming_missions=Count(
                "missions",
                filter=Q(missions__starts_on__gte=today, missions__status=Mission.Status.PLANNED),
                distinct=True,
            ),
            project_count=Count("projects", distinct=True),
        )
    )


def partnership_agreements(partnership: Partnership) -> list[Agreement]:
    return list(partnership.agreements.select_related("renews").order_by("-signed_on", "-pk"))


def partnership_contacts(partnership: Partnership) -> list[PartnershipContact]:
    return list(partnership.contacts.select_related("person"))


def partnership_missions(partnership: Partnership) -> QuerySet[Mission]:
    """The missions of the partnership and of its projects, with their delegations."""
    return (
        Mission.objects.filter(Q(partnership=partnership) | Q(project__partnership=partnership))
        .select_related("project")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=MissionParticipant.objects.select_related("person", "organization"),
            )
        )
        .order_by("-starts_on", "-pk")
    )


def missions_split(missions) -> tuple[list[Mission], list[Mission]]:
    """(coming, past): coming missions soonest first, past ones latest first."""
    today = timezone.localdate()
    coming = sorted(
        (m for m in missions if m.ends_on >= today and m.status != Mission.Status.CANCELLED),
        key=lambda m: m.starts_on,
    )
    past = [m for m in missions if m not in coming]
    return coming, past


# Timeline ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    date: datetime.date
    kind: str  # partnership, agreement, mission, project
    title: str
    detail: str = ""
    # Only the year is known (« partenaires depuis 2005 »): shown as a year, sorted first.
    year_only: bool = False
    upcoming: bool = False
    project_pk: int | None = None


# Same day: the partnership's own milestones first, then agreements, missions and projects.
_KIND_ORDER = {"partnership": 0, "agreement": 1, "mission": 2, "project": 3, "decision": 4}


def partnership_timeline(partnership: Partnership) -> list[TimelineEntry]:
    """Every dated event of the partnership in one list, oldest first."""
    from observatoire.projects.models import Decision, Project

    today = timezone.localdate()
    entries: list[TimelineEntry] = []
    if partnership.since_year:
        entries.append(
            TimelineEntry(
                date=datetime.date(partnership.since_year, 1, 1),
                kind="partnership",
                title=_("Beginning of the partnership (%(kind)s)")
                % {"kind": partnership.get_kind_display().lower()},
                year_only=True,
            )
        )
    if partnership.ended_year:
        entries.append(
            TimelineEntry(
                date=datetime.date(partnership.ended_year, 12, 31),
                kind="partnership",
                title=_("End of the partnership"),
                year_only=True,
            )
        )
    for agreement in partnership.agreements.select_related("renews"):
        if agreement.signed_on:
            title = (
                _("Agreement renewed: %(title)s")
                if agreement.renews_id or agreement.status == Agreement.Status.RENEWED
                else _("Agreement signed: %(title)s")
            )
            entries.append(
                TimelineEntry(
                    date=agreement.signed_on,
                    kind="agreement",
                    title=title % {"title": agreement.title},
                    detail=agreement.summary,
                )
            )
        if agreement.status == Agreement.Status.ENDED and agreement.ends_on:
            entries.append(
                TimelineEntry(
                    date=agreement.ends_on,
                    kind="agreement",
                    title=_("Agreement ended: %(title)s") % {"title": agreement.title},
                )
            )
    for mission in partnership_missions(partnership).prefetch_related(None):
        if mission.status == Mission.Status.CANCELLED:
            continue
        label = (
            _("Mission to the partner: %(title)s")
            if mission.direction == Mission.Direction.OUTGOING
            else _("Delegation received: %(title)s")
        )
        entries.append(
            TimelineEntry(
                date=mission.starts_on,
                kind="mission",
                title=label % {"title": mission.title},
                detail=mission.outcomes or mission.purpose,
                upcoming=mission.starts_on > today,
            )
        )
    projects = Project.objects.filter(partnership=partnership).only(
        "pk", "title", "planned_start", "actual_start", "actual_end", "summary"
    )
    for project in projects:
        started = project.actual_start or project.planned_start
        if started:
            entries.append(
                TimelineEntry(
                    date=started,
                    kind="project",
                    title=_("Project started: %(title)s") % {"title": project.title},
                    detail=project.summary,
                    upcoming=started > today,
                    project_pk=project.pk,
                )
            )
        if project.actual_end:
            entries.append(
                TimelineEntry(
                    date=project.actual_end,
                    kind="project",
                    title=_("Project completed: %(title)s") % {"title": project.title},
                    project_pk=project.pk,
                )
            )
    decisions = Decision.objects.filter(project__partnership=partnership).select_related(
        "project", "body"
    )
    for decision in decisions:
        entries.append(
            TimelineEntry(
                date=decision.date,
                kind="decision",
                title=_("Decision (%(project)s): %(text)s")
                % {"project": decision.project.title, "text": decision.text[:120]},
                project_pk=decision.project_id,
            )
        )
    entries.sort(key=lambda e: (e.date, not e.year_only, _KIND_ORDER[e.kind], e.title))
    return entries


# Other cooperations in the same place ------------------------------------------------------


def distance_km(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance between two points, in kilometres."""
    lat1, lng1, lat2, lng2 = (math.radians(float(v)) for v in (lat1, lng1, lat2, lng2))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def _same_place(name_key: str, point, other_name: str, other_lat, other_lng) -> bool:
    if name_key and fold(other_name) == name_key:
        return True
    if point and other_lat is not None and other_lng is not None:
        return distance_km(point[0], point[1], other_lat, other_lng) <= NEAR_KM
    return False


def partner_town(organization: Organization) -> str:
    """The town of a foreign authority: its seat, else the name after « de »/« d' »."""
    if organization.seat_locality:
        return organization.seat_locality
    for marker in (" d'", " de ", " d’"):
        if marker in organization.name:
            return organization.name.rsplit(marker, 1)[1]
    return organization.name


@dataclass
class CooperationsInPlace:
    town: str
    country: object  # referentials.Country or None
    partnerships_in_town: list = field(default_factory=list)
    partnerships_in_country: list = field(default_factory=list)
    organizations_in_town: list = field(default_factory=list)
    organizations_in_country: list = field(default_factory=list)
    projects_in_town: list = field(default_factory=list)
    projects_in_country: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.partnerships_in_town,
                self.partnerships_in_country,
                self.organizations_in_town,
                self.organizations_in_country,
                self.projects_in_town,
                self.projects_in_country,
            )
        )


def cooperations_in_place(
    partnership: Partnership, *, projects: QuerySet | None = None, limit: int = 30
) -> CooperationsInPlace:
    """The other cooperations active in the partner's town, then in its country.

    Other partnerships with an authority of the same town (or country), organisations of the
    register acting there (a place of intervention in that town, else the country among their
    countries of intervention), and projects with a place there. `projects` narrows the
    projects to those the reader may see.
    """
    from observatoire.projects.models import Project, ProjectPlace

    foreign = partnership.foreign_authority
    country = foreign.seat_country
    town = partner_town(foreign)
    result = CooperationsInPlace(town=town, country=country)
    if country is None:
        return result
    name_key = fold(town)
    point = (
        (foreign.latitude, foreign.longitude)
        if foreign.latitude is not None and foreign.longitude is not None
        else None
    )
    own_authorities = {partnership.french_authority_id, partnership.foreign_authority_id}

    others = (
        Partnership.objects.filter(foreign_authority__seat_country=country)
        .exclude(pk=partnership.pk)
        .exclude(status=Partnership.Status.ENDED)
        .select_related("french_authority", "foreign_authority")
        .order_by("french_authority__name")
    )
    for other in others:
        authority = other.foreign_authority
        in_town = authority.pk == foreign.pk or _same_place(
            name_key, point, partner_town(authority), authority.latitude, authority.longitude
        )
        (result.partnerships_in_town if in_town else result.partnerships_in_country).append(other)

    places = InterventionPlace.objects.filter(country=country).exclude(
        organization__in=own_authorities
    )
    town_organization_ids = {
        place.organization_id
        for place in places.only("organization_id", "name", "latitude", "longitude")
        if _same_place(name_key, point, place.name, place.latitude, place.longitude)
    }
    acting = (
        Organization.objects.not_archived()
        .filter(Q(countries=country) | Q(places__country=country))
        .exclude(pk__in=own_authorities)
        .exclude(seat_country=country)  # the partner city's neighbours are not "acting there"
        .select_related("kind", "commune")
        .distinct()
        .order_by("name")
    )
    for organization in acting:
        if organization.pk in town_organization_ids:
            result.organizations_in_town.append(organization)
        else:
            result.organizations_in_country.append(organization)

    visible = projects if projects is not None else Project.objects.all()
    visible = visible.exclude(partnership=partnership)
    project_places = ProjectPlace.objects.filter(country=country, project__in=visible).only(
        "project_id", "name", "latitude", "longitude"
    )
    town_project_ids = {
        place.project_id
        for place in project_places
        if _same_place(name_key, point, place.name, place.latitude, place.longitude)
    }
    for project in (
        visible.filter(Q(places__country=country) | Q(countries=country))
        .distinct()
        .only("pk", "title", "phase")
        .order_by("title")
    ):
        if project.pk in town_project_ids:
            result.projects_in_town.append(project)
        else:
            result.projects_in_country.append(project)

    result.partnerships_in_country = result.partnerships_in_country[:limit]
    result.organizations_in_country = result.organizations_in_country[:limit]
    result.projects_in_country = result.projects_in_country[:limit]
    return result


def organization_partnerships(organization: Organization) -> list[Partnership]:
    """The partnerships where `organization` is one of the two authorities."""
    return list(
        Partnership.objects.of_organization(organization).select_related(
            "french_authority", "foreign_authority__seat_country"
        )
    )
