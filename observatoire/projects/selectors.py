"""Reads of projects shared by the workspace pages, the back office and the demo."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from observatoire.core.periods import Period
from observatoire.organizations.models import Organization
from observatoire.organizations.selectors import organization_search
from observatoire.referentials.models import Country, Theme

from .access import projects_for
from .models import (
    WORKING_PHASES,
    ChecklistItem,
    Objective,
    Phase,
    Project,
    ProjectPartner,
    Stakeholder,
)

FILTER_PARAMS = ("phase", "theme", "country", "partner", "q")


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class ProjectFilters:
    phase: str = ""
    theme: int | None = None
    country: int | None = None
    partner: int | None = None
    q: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> "ProjectFilters":
        """Read the filters from the query string; values that make no sense are dropped."""
        phase = params.get("phase", "")
        return cls(
            phase=phase if phase in Phase.values else "",
            theme=_int_or_none(params.get("theme")),
            country=_int_or_none(params.get("country")),
            partner=_int_or_none(params.get("partner")),
            q=(params.get("q") or "").strip()[:200],
        )

    @property
    def active(self) -> bool:
        return bool(self.phase or self.theme or self.country or self.partner or self.q)


def _lead_prefetch() -> Prefetch:
    return Prefetch(
        "partners",
        queryset=ProjectPartner.objects.filter(role=ProjectPartner.Role.LEAD).select_related(
            "organization"
        ),
        to_attr="lead_partners",
    )


def project_list(*, user, filters: ProjectFilters) -> QuerySet[Project]:
    """The projects `user` may open, filtered, with their lead partner prefetched."""
    projects = projects_for(user)
    if filters.phase:
        projects = projects.filter(phase=filters.phase)
    if filters.theme:
        projects = projects.filter(themes=filters.theme)
    if filters.country:
        projects = projects.filter(
            Q(countries=filters.country) | Q(places__country=filters.country)
        )
    if filters.partner:
        projects = projects.filter(partners__organization=filters.partner)
    if filters.q:
        for word in filters.q.split()[:8]:
            projects = projects.filter(
                Q(title__icontains=word) | Q(acronym__icontains=word) | Q(summary__icontains=word)
            )
    return (
        Project.objects.filter(pk__in=projects.values("pk"))
        .prefetch_related(_lead_prefetch())
        .order_by("title", "pk")
    )


def filter_choices(*, user) -> dict[str, list]:
    """The values each filter of the list offers: those used by the projects `user` may open."""
    visible = projects_for(user)
    return {
        "phases": Phase.choices,
        "themes": list(Theme.objects.filter(pk__in=visible.values("themes")).order_by("name_fr")),
        "countries": list(
            Country.objects.filter(
                Q(pk__in=visible.values("countries")) | Q(pk__in=visible.values("places__country"))
            ).order_by("name_fr")
        ),
        "partners": list(
            Organization.objects.filter(pk__in=visible.values("partners__organization"))
            .only("pk", "name", "acronym")
            .order_by("name")
        ),
    }


def project_overview(pk: int) -> Project:
    """A project with what its overview shows, fetched in a few queries."""
    return (
        Project.objects.select_related("partnership", "origin_group", "origin_event", "coordinator")
        .prefetch_related(
            "themes",
            "sdgs",
            "sdg_targets__goal",
            "dac_sectors",
            "countries",
            "places__country",
            "places__commune",
            Prefetch(
                "partners",
                queryset=ProjectPartner.objects.select_related("organization"),
            ),
        )
        .get(pk=pk)
    )


def project_partners(project: Project) -> list[ProjectPartner]:
    return list(
        project.partners.select_related("organization__seat_country", "organization__kind")
        .prefetch_related("contacts")
        .order_by("role", "organization__name")
    )


def checklist_by_phase(project: Project) -> list[dict]:
    """Each working phase with its checklist entries, done or not."""
    items = (
        ChecklistItem.objects.filter(project=project)
        .select_related("responsible", "responsible_organization", "done_by")
        .order_by("position", "pk")
    )
    grouped: dict[str, list[ChecklistItem]] = {phase: [] for phase in WORKING_PHASES}
    for item in items:
        grouped.setdefault(item.phase, []).append(item)
    return [
        {
            "phase": phase,
            "label": Phase(phase).label,
            "items": grouped.get(phase, []),
            "done": sum(1 for item in grouped.get(phase, []) if item.is_done),
            "is_current": phase == project.phase,
        }
        for phase in WORKING_PHASES
    ]


def project_stakeholders(project: Project) -> list[Stakeholder]:
    return list(project.stakeholders.select_related("organization", "person"))


def stakeholder_matrix(stakeholders: list[Stakeholder]) -> list[dict]:
    """The points of the influence × interest matrix; people in the same cell are spread out."""
    cells: dict[tuple[int, int], list[Stakeholder]] = {}
    for stakeholder in stakeholders:
        cells.setdefault((stakeholder.interest, stakeholder.influence), []).append(stakeholder)
    cell_size, margin = 80, 40
    points = []
    for (interest, influence), group in cells.items():
        for index, stakeholder in enumerate(group):
            offset = (index - (len(group) - 1) / 2) * 14
            points.append(
                {
                    "stakeholder": stakeholder,
                    "x": margin + (interest - 0.5) * cell_size + offset,
                    "y": margin + (5 - influence + 0.5) * cell_size,
                    "label_y": margin + (5 - influence + 0.5) * cell_size + 4,
                    "number": 0,
                }
            )
    for number, point in enumerate(points, start=1):
        point["number"] = number
    return points


def project_results(project: Project) -> list[Objective]:
    return list(
        project.objectives.prefetch_related("results__indicators__values").order_by(
            "level", "position", "pk"
        )
    )


def register_organizations_matching(term: str, *, limit: int = 20) -> list[Organization]:
    """Organisations of the register whose name (or identifiers, town) match `term`."""
    if len(term.strip()) < 2:
        return []
    queryset = Organization.objects.exclude(status=Organization.Status.ARCHIVED).select_related(
        "seat_country", "commune"
    )
    return list(organization_search(queryset, term).order_by("name")[:limit])


def projects_of_organization(organization: Organization) -> list[ProjectPartner]:
    """The roles `organization` holds in projects, for its record."""
    return list(
        ProjectPartner.objects.filter(organization=organization)
        .select_related("project")
        .order_by("project__title", "role")
    )


# IATI ActivityStatus codelist, named as in its French version.
IATI_ACTIVITY_STATUS_LABELS = {
    "1": _("Pipeline/identification"),
    "2": _("Implementation"),
    "3": _("Finalisation"),
    "4": _("Closed"),
    "5": _("Cancelled"),
    "6": _("Suspended"),
}


def phase_changes(project: Project, *, limit: int = 20) -> list[dict]:
    """The phase changes of `project`, latest first, from its history."""
    rows = (
        project.history.filter(history_change_reason__startswith="phase:")
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    changes = []
    for row in rows:
        moves = row.history_change_reason.removeprefix("phase: ").split(" ")
        previous, new = moves[0], moves[2] if len(moves) > 2 else ""
        changes.append(
            {
                "date": row.history_date,
                "user": row.history_user,
                "previous": Phase(previous).label if previous in Phase.values else previous,
                "new": Phase(new).label if new in Phase.values else new,
                "forced": row.history_change_reason.endswith("(forced)"),
            }
        )
    return changes


# Figures of the observatory ----------------------------------------------------------------


def projects_in_scope(*, organizations: QuerySet[Organization] | None = None) -> QuerySet[Project]:
    """Every project, or those with one of `organizations` among their partners."""
    projects = Project.objects.all()
    if organizations is not None:
        projects = projects.filter(
            Exists(
                ProjectPartner.objects.filter(
                    project=OuterRef("pk"), organization__in=organizations.values("pk")
                )
            )
        )
    return projects


def project_figures(*, projects: QuerySet[Project], period: Period) -> dict:
    """Intentions (projects recorded in the period), active projects (in a working phase
    today) and the projects per phase today: `{"by_phase": {phase: count}}`."""
    start, end = period.bounds()
    totals = projects.aggregate(
        intentions=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        active=Count("pk", filter=Q(phase__in=WORKING_PHASES)),
    )
    by_phase = dict(
        projects.order_by().values("phase").annotate(n=Count("pk")).values_list("phase", "n")
    )
    return {**totals, "by_phase": by_phase}
