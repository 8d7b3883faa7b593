"""Reads of the follow-up: the calls with laureates, their laureates and where each one stands."""

import datetime

from django.db.models import Count, DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from observatoire.calls.models import Application, Call

from .models import Payment, ReportDue

LAUREATE = "laureate"


def calls_with_laureates() -> QuerySet[Call]:
    """The calls that have laureates, newest first, with their number of laureates."""
    return (
        Call.objects.filter(applications__status=LAUREATE)
        .annotate(laureate_count=Count("applications", distinct=True))
        .order_by("-created_at")
    )


def laureates(*, call: Call) -> QuerySet[Application]:
    """The laureates of a call with their grant, amount paid and next report not received."""
    paid = (
        Payment.objects.filter(grant__application=OuterRef("pk"))
        .values("grant__application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    next_report = (
        ReportDue.objects.filter(grant__application=OuterRef("pk"), received_on__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return (
        call.applications.filter(status=LAUREATE)
        .select_related("organization", "grant__project")
        .annotate(
            paid=Coalesce(
                Subquery(paid), Value(0), output_field=DecimalField(max_digits=12, decimal_places=2)
            ),
            next_report_on=Subquery(next_report),
        )
        .order_by("project_title", "pk")
    )


def reports_late(*, today: datetime.date) -> QuerySet[ReportDue]:
    return ReportDue.objects.filter(received_on__isnull=True, due_on__lt=today)
