"""Reads of the referencing workflow: possible duplicates, the staff comparison, the figures."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from observatoire.core.periods import Period
from observatoire.deduplication.matching import Description, Match, find_matches
from observatoire.organizations.models import Organization

from .models import ORGANIZATION_FIELDS, TAG_FIELDS, ReferencingRequest


@dataclass(frozen=True)
class PublicMatch:
    """What an anonymous visitor may see of a possible duplicate: public data only."""

    pk: int
    name: str
    town: str
    kind: str


SUGGESTION_MIN_SCORE = 0.6


def public_matches(data: dict, *, limit: int = 5) -> list[PublicMatch]:
    """Listed (qualified) organisations that may be the one the visitor describes."""
    if not (data.get("name") or "").strip():
        return []
    queryset = Organization.objects.qualified().select_related("commune", "kind")
    # Generous on purpose: a needless suggestion costs the visitor one click, a missed one a
    # duplicate record. An association often moves or declares another town than its seat.
    matches = find_matches(
        Description.from_values(data),
        queryset=queryset,
        limit=limit,
        min_score=SUGGESTION_MIN_SCORE,
    )
    return [
        PublicMatch(
            pk=m.organization.pk,
            name=m.organization.name,
            town=m.organization.commune.name if m.organization.commune else "",
            kind=m.organization.kind.name,
        )
        for m in matches
    ]


def request_data(referencing_request: ReferencingRequest) -> dict:
    return {name: getattr(referencing_request, name) for name in ORGANIZATION_FIELDS}


def request_duplicates(referencing_request: ReferencingRequest, *, limit: int = 5) -> list[Match]:
    """Organisations of the whole register (any status) that may be the requester's."""
    queryset = Organization.objects.select_related("commune", "kind")
    matches = find_matches(
        Description.from_values(request_data(referencing_request)),
        queryset=queryset,
        limit=limit,
        min_score=SUGGESTION_MIN_SCORE,
    )
    target = referencing_request.target_organization
    if target is not None and all(m.organization.pk != target.pk for m in matches):
        matches.insert(
            0, Match(organization=target, score=1.0, reasons=[str(_("chosen by the requester"))])
        )
    return matches


def _display(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "all"):
        return ", ".join(str(v) for v in value.all())
    return str(value)


@dataclass(frozen=True)
class FieldComparison:
    name: str
    label: str
    proposed: str
    current: str

    @property
    def differs(self) -> bool:
        return self.proposed != self.current


def compare_fields(
    referencing_request: ReferencingRequest, organization: Organization | None
) -> list[FieldComparison]:
    """The request's values beside an organisation's, field by field."""
    rows = []
    for name in ORGANIZATION_FIELDS + TAG_FIELDS:
        field = ReferencingRequest._meta.get_field(name)
        proposed = getattr(referencing_request, name)
        if field.choices:
            proposed = getattr(referencing_request, f"get_{name}_display")()
        current = ""
        if organization is not None:
            current = getattr(organization, name)
            if field.choices:
                current = getattr(organization, f"get_{name}_display")()
        rows.append(
            FieldComparison(
                name=name,
                label=str(field.verbose_name),
                proposed=_display(proposed),
                current=_display(current) if organization is not None else "",
            )
        )
    return rows


def referencing_figures(
    *, period: Period, organizations: QuerySet[Organization] | None = None
) -> dict[str, int]:
    """Requests received (confirmed), qualified, rejected and organisations qualified in the
    period; with `organizations`, only the requests and organisations among them (a request
    counts through the organisation it was qualified into, or the one it names)."""
    start, end = period.bounds()
    requests = ReferencingRequest.objects.all()
    organization_ids = Organization.objects.all()
    if organizations is not None:
        organization_ids = organizations
        requests = requests.filter(
            Q(organization__in=organizations.values("pk"))
            | Q(target_organization__in=organizations.values("pk"))
        )
    decided = requests.filter(decided_at__gte=start, decided_at__lt=end)
    History = Organization.history.model
    qualified_in_period = History.objects.filter(
        id=OuterRef("pk"),
        history_date__gte=start,
        history_date__lt=end,
        status=Organization.Status.QUALIFIED,
    )
    status_before = History.objects.filter(id=OuterRef("pk"), history_date__lt=start).order_by(
        "-history_date", "-history_id"
    )
    newly_qualified = (
        organization_ids.filter(Exists(qualified_in_period))
        .annotate(status_before=Subquery(status_before.values("status")[:1]))
        .filter(Q(status_before__isnull=True) | ~Q(status_before=Organization.Status.QUALIFIED))
    )
    return {
        "received": requests.confirmed().filter(created_at__gte=start, created_at__lt=end).count(),
        "qualified": decided.filter(state=ReferencingRequest.State.QUALIFIED).count(),
        "rejected": decided.filter(state=ReferencingRequest.State.REJECTED).count(),
        "organizations_qualified": newly_qualified.count(),
    }
