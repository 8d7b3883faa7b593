"""What a user follows, gathered for the work view: partnerships, projects, missions, money, delays.

Every read starts from `projects_for` and `partnerships_for`, the access rules of the project and
partnership pages, so the work view never shows what those pages would refuse. Each block is one or
two queries whatever the number of rows.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from observatoire.accounts.access import is_back_office
from observatoire.finance.models import (
    Funding,
    FundingApplication,
    ReportingObligation,
    Transaction,
)
from observatoire.partnerships.access import partnerships_for
from observatoire.partnerships.models import Mission, Partnership
from observatoire.projects.access import projects_for
from observatoire.projects.models import (
    ChecklistItem,
    Indicator,
    Phase,
    Project,
    ProjectPartner,
)

MISSIONS_HORIZON_DAYS = 90
# An indicator of a running project with no value over this many days is behind its monitoring.
INDICATOR_SILENCE_DAYS = 365
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def can_filter_mine(user) -> bool:
    """Back-office users see everything, so they may narrow it to what they follow."""
    return is_back_office(user)


def workspace_partnerships(*, user, mine: bool = False) -> QuerySet[Partnership]:
    """The partnerships of the work view, with their number of projects."""
    partnerships = partnerships_for(user)
    if mine and can_filter_mine(user):
        partnerships = partnerships.filter(officer=user)
    return partnerships.select_related("french_authority", "foreign_authority").annotate(
        project_count=Count("projects", distinct=True)
    )


def workspace_projects(*, user, mine: bool = False) -> QuerySet[Project]:
    """The projects of the work view: for staff with `mine`, those they coordinate or follow."""
    projects = projects_for(user)
    if mine and can_filter_mine(user):
        projects = projects.filter(Q(coordinator=user) | Q(partnership__officer=user))
    return projects


def workspace_project_list(*, user, mine: bool = False) -> list[Project]:
    """The projects with their phase and lead partner (`leads`), current phases first."""
    order = {phase: index for index, phase in enumerate(Phase.values)}
    projects = list(
        workspace_projects(user=user, mine=mine)
        .select_related("partnership__french_authority", "partnership__foreign_authority")
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=ProjectPartner.objects.filter(
                    role=ProjectPartner.Role.LEAD
                ).select_related("organization"),
                to_attr="leads",
            )
        )
        .order_by("title")
    )
    projects.sort(key=lambda project: order.get(project.phase, len(order)))
    return projects


def upcoming_missions(
    *, user, mine: bool = False, today: datetime.date | None = None
) -> QuerySet[Mission]:
    """Planned missions leaving in the next 90 days, of the user's partnerships or projects."""
    today = today or timezone.localdate()
    partnerships = workspace_partnerships(user=user, mine=mine).values("pk")
    projects = workspace_projects(user=user, mine=mine).values("pk")
    return (
        Mission.objects.filter(
            status=Mission.Status.PLANNED,
            starts_on__gte=today,
            starts_on__lte=today + datetime.timedelta(days=MISSIONS_HORIZON_DAYS),
        )
        .filter(Q(partnership__in=partnerships) | Q(project__in=projects))
        .select_related(
            "partnership__french_authority", "partnership__foreign_authority", "project"
        )
        .order_by("starts_on", "pk")
    )


def reports_due(*, user, mine: bool = False) -> QuerySet[ReportingObligation]:
    """Reports owed to funders and not sent yet, the earliest due first."""
    projects = workspace_projects(user=user, mine=mine).values("pk")
    return (
        ReportingObligation.objects.filter(
            status=ReportingObligation.Status.DUE, application__project__in=projects
        )
        .select_related("application__project", "application__funder")
        .order_by("due_on", "pk")
    )


def payments_due(*, user, mine: bool = False) -> QuerySet[Funding]:
    """Granted funding not fully received yet, per funder and project, with `received` and `due`.

    Received is the sum of the incoming funds recorded from that funder on that project.
    """
    projects = workspace_projects(user=user, mine=mine).values("pk")
    received = (
        Transaction.objects.filter(
            project=OuterRef("project"),
            funder=OuterRef("funder"),
            kind=Transaction.Kind.INCOMING_FUNDS,
        )
        .order_by()
        .values("project")
        .annotate(total=Sum("amount_eur"))
        .values("total")
    )
    return (
        Funding.objects.filter(project__in=projects, granted__gt=0)
        .annotate(received=Coalesce(Subquery(received), ZERO))
        .annotate(due=F("granted") - F("received"))
        .filter(due__gt=0)
        .select_related("project", "funder")
        .order_by("project__title", "funder__name")
    )


@dataclass
class PipelineStage:
    status: str
    label: str
    count: int = 0
    requested: Decimal = Decimal("0")
    granted: Decimal = Decimal("0")


def funding_pipeline(*, user, mine: bool = False) -> list[PipelineStage]:
    """Applications to funders by status: how many, amounts requested and granted."""
    projects = workspace_projects(user=user, mine=mine).values("pk")
    rows = {
        row["status"]: row
        for row in FundingApplication.objects.filter(project__in=projects)
        .order_by()
        .values("status")
        .annotate(
            count=Count("pk"),
            requested=Coalesce(Sum("amount_requested"), ZERO),
            granted=Coalesce(Sum("amount_granted"), ZERO),
        )
    }
    stages = []
    for status, label in FundingApplication.Status.choices:
        row = rows.get(status, {})
        stages.append(
            PipelineStage(
                status=status,
                label=label,
                count=row.get("count", 0),
                requested=row.get("requested", Decimal("0")),
                granted=row.get("granted", Decimal("0")),
            )
        )
    return stages


def open_applications(*, user, mine: bool = False) -> QuerySet[FundingApplication]:
    """Applications being written or awaiting the funder's decision, by deadline."""
    projects = workspace_projects(user=user, mine=mine).values("pk")
    return (
        FundingApplication.objects.filter(
            project__in=projects,
            status__in=[FundingApplication.Status.DRAFT, FundingApplication.Status.SUBMITTED],
        )
        .select_related("project", "funder")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )


def late_checklist_items(
    *, user, mine: bool = False, today: datetime.date | None = None
) -> QuerySet[ChecklistItem]:
    """Checklist entries not ticked after their due date, of projects still at work."""
    today = today or timezone.localdate()
    projects = workspace_projects(user=user, mine=mine).values("pk")
    return (
        ChecklistItem.objects.filter(project__in=projects, done_on__isnull=True, due_on__lt=today)
        .exclude(project__phase__in=[Phase.COMPLETED, Phase.SUSPENDED])
        .select_related("project", "responsible", "responsible_organization")
        .order_by("due_on", "pk")
    )


def silent_indicators(
    *, user, mine: bool = False, today: datetime.date | None = None
) -> QuerySet[Indicator]:
    """Indicators of projects in implementation with no value measured for a year (`last_end`)."""
    today = today or timezone.localdate()
    projects = workspace_projects(user=user, mine=mine).values("pk")
    return (
        Indicator.objects.filter(
            result__objective__project__in=projects,
            result__objective__project__phase=Phase.IMPLEMENTATION,
        )
        .annotate(last_end=Max("values__period_end"))
        .filter(
            Q(last_end__isnull=True)
            | Q(last_end__lt=today - datetime.timedelta(days=INDICATOR_SILENCE_DAYS))
        )
        .select_related("result__objective__project")
        .order_by("result__objective__project__title", "pk")
    )


@dataclass
class Workspace:
    """Everything the work view shows, read once."""

    today: datetime.date
    mine: bool
    can_filter_mine: bool
    partnerships: list = field(default_factory=list)
    projects: list = field(default_factory=list)
    missions: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    pipeline: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    late_items: list = field(default_factory=list)
    silent_indicators: list = field(default_factory=list)

    @property
    def overdue_reports(self) -> list:
        return [obligation for obligation in self.reports if obligation.due_on < self.today]

    @property
    def payments_total(self) -> Decimal:
        return sum((funding.due for funding in self.payments), Decimal("0"))

    @property
    def late_count(self) -> int:
        return len(self.late_items) + len(self.silent_indicators) + len(self.overdue_reports)


def workspace_for(*, user, mine: bool = False, today: datetime.date | None = None) -> Workspace:
    """The work view of `user`; `mine` narrows a back-office user's view to what they follow."""
    today = today or timezone.localdate()
    mine = mine and can_filter_mine(user)
    scope = {"user": user, "mine": mine}
    return Workspace(
        today=today,
        mine=mine,
        can_filter_mine=can_filter_mine(user),
        partnerships=list(workspace_partnerships(**scope)),
        projects=workspace_project_list(**scope),
        missions=list(upcoming_missions(**scope, today=today)),
        reports=list(reports_due(**scope)),
        payments=list(payments_due(**scope)),
        pipeline=funding_pipeline(**scope),
        applications=list(open_applications(**scope)),
        late_items=list(late_checklist_items(**scope, today=today)),
        silent_indicators=list(silent_indicators(**scope, today=today)),
    )
