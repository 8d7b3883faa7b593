"""Reads of the selection: a reviewer's assignments, the totals and ranking, the laureates."""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery, Sum

from .models import Assignment, Criterion, Decision, Review, Reviewer, Score


def reviewer_assignments(*, reviewers) -> QuerySet[Assignment]:
    """The active assignments of these reviewer seats: the only applications they see."""
    return (
        Assignment.objects.active()
        .filter(reviewer__in=reviewers, reviewer__is_active=True)
        .select_related("application", "application__call", "stage", "review")
        .order_by("application__call__title", "stage__number", "application__project_title")
    )


def review_total(*, scores, criteria) -> Decimal | None:
    """The weighted sum of the marks, out of 100 (None when a criterion has no mark)."""
    weights = sum((c.weight for c in criteria), Decimal(0))
    if not criteria or not weights:
        return None
    marks = {score.criterion_id: score.value for score in scores}
    if any(c.pk not in marks for c in criteria):
        return None
    total = sum(marks[c.pk] / c.scale_max * c.weight for c in criteria) / weights * 100
    return total.quantize(Decimal("0.1"))


@dataclass
class ApplicationResult:
    application: object
    totals: list[Decimal] = field(default_factory=list)
    recommendations: dict[str, int] = field(default_factory=dict)
    assigned: int = 0
    rank: int | None = None

    @property
    def average(self) -> Decimal | None:
        if not self.totals:
            return None
        return (sum(self.totals) / len(self.totals)).quantize(Decimal("0.1"))

    @property
    def spread(self) -> Decimal | None:
        """Population standard deviation of the reviewers' totals."""
        if not self.totals:
            return None
        return Decimal(statistics.pstdev(self.totals)).quantize(Decimal("0.1"))

    @property
    def lowest(self) -> Decimal | None:
        return min(self.totals) if self.totals else None

    @property
    def highest(self) -> Decimal | None:
        return max(self.totals) if self.totals else None


def ranking(*, stage, applications) -> list[ApplicationResult]:
    """Each application's totals over the submitted reviews of `stage`, ranked by average.

    Staff only: applicants and reviewers never see these figures.
    """
    criteria = list(Criterion.objects.filter(stage=stage))
    results = {a.pk: ApplicationResult(application=a) for a in applications}
    assignments = (
        Assignment.objects.active()
        .filter(stage=stage, application_id__in=results)
        .select_related("review")
        .prefetch_related("scores")
    )
    for assignment in assignments:
        result = results[assignment.application_id]
        result.assigned += 1
        review = getattr(assignment, "review", None)
        if review is None or review.submitted_at is None:
            continue
        total = review_total(scores=assignment.scores.all(), criteria=criteria)
        if total is not None:
            result.totals.append(total)
        result.recommendations[review.recommendation] = (
            result.recommendations.get(review.recommendation, 0) + 1
        )
    ordered = sorted(
        results.values(),
        key=lambda r: (r.average is None, -(r.average or 0), r.application.project_title),
    )
    previous, rank = None, 0
    for position, result in enumerate(ordered, start=1):
        if result.average is None:
            break
        if result.average != previous:
            rank, previous = position, result.average
        result.rank = rank
    return ordered


def laureates(*, call) -> QuerySet:
    """The call's laureates, each with `amount_granted` from its latest laureate decision."""
    from observatoire.calls.models import Application

    granted = (
        Decision.objects.filter(application=OuterRef("pk"), outcome=Decision.Outcome.LAUREATE)
        .order_by("-committee__held_on", "-pk")
        .values("amount_granted")[:1]
    )
    return (
        Application.objects.filter(call=call, status="laureate")
        .select_related("organization")
        .annotate(amount_granted=Subquery(granted))
        .order_by("project_title")
    )


def granted_total(*, call) -> Decimal:
    total = laureates(call=call).aggregate(total=Sum("amount_granted"))["total"]
    return total or Decimal(0)


def reviewer_for_user(*, call, user) -> Reviewer | None:
    return Reviewer.objects.filter(call=call, user=user).first() if user.is_authenticated else None


def reviews_submitted(*, stage) -> int:
    return Review.objects.filter(assignment__stage=stage, submitted_at__isnull=False).count()


def scores_of(*, assignment) -> dict[int, Score]:
    return {score.criterion_id: score for score in assignment.scores.all()}
