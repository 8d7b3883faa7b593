"""Reads on calls and applications shared by the staff pages, the exports and the figures."""

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from observatoire.core.periods import Period

from .models import Application, Call


def applications_for(*, call: Call, stage_number: int | None = None) -> QuerySet[Application]:
    """Submitted, not withdrawn applications of a call (of one stage when given)."""
    applications = Application.objects.submitted().filter(call=call)
    if stage_number is not None:
        applications = applications.filter(
            submissions__stage__number=stage_number, submissions__submitted_at__isnull=False
        )
    return applications.select_related("organization", "referencing_request").order_by(
        "submitted_at", "pk"
    )


def call_figures(*, period: Period) -> dict:
    """Applications received per stage, eligible, finalists, laureates and amounts requested."""
    start, end = period.bounds()
    applications = Application.objects.submitted().filter(
        submitted_at__gte=start, submitted_at__lt=end
    )
    totals = applications.aggregate(
        received=Count("pk", distinct=True),
        stage_2=Count("pk", filter=Q(stage_reached=2), distinct=True),
        eligible=Count("pk", filter=Q(is_eligible=True), distinct=True),
        finalists=Count(
            "pk",
            filter=Q(status__in=[Application.Status.FINALIST, Application.Status.LAUREATE]),
            distinct=True,
        ),
        laureates=Count("pk", filter=Q(status=Application.Status.LAUREATE), distinct=True),
    )
    requested = applications.aggregate(total=Sum("amount_requested"))["total"] or Decimal(0)
    calls = (
        Call.objects.filter(applications__in=applications)
        .distinct()
        .annotate(
            received=Count("applications", filter=Q(applications__in=applications), distinct=True)
        )
        .order_by("title")
    )
    return {
        **totals,
        "amount_requested": requested,
        "calls": [{"call": call, "received": call.received} for call in calls],
    }
