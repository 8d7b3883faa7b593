"""Reads of the follow-up: the calls with laureates, their laureates and where each one stands."""

import datetime
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from observatoire.calls.models import Application, Call, Stage, Submission
from observatoire.core.periods import Period
from observatoire.selection.models import Committee, Decision

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


def calls_figures(*, period: Period, organizations: QuerySet | None = None) -> dict:
    """The observatory's figures of the calls: applications per stage, selection, amounts.

    Applications count through their applicant organisation when `organizations` is given
    (unmatched applicants then drop out); calls and committees are never narrowed. A fixed
    number of queries, whatever the number of calls.
    """
    start, end = period.bounds()
    first_day, last_day = period.date_bounds()
    submitted = Submission.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    applications = Application.objects.all()
    if organizations is not None:
        applications = applications.filter(organization__in=organizations)
        submitted = submitted.filter(application__organization__in=organizations)
    # A note of intent is the first stage of a two-stage call; the one stage of a call without a
    # second is a full application.
    two_stage = Exists(Stage.objects.filter(call=OuterRef("stage__call"), number=2))
    per_stage = submitted.alias(two_stage=two_stage).aggregate(
        notes=Count("pk", filter=Q(stage__number=1, two_stage=True)),
        full=Count("pk", filter=Q(stage__number=2) | Q(stage__number=1, two_stage=False)),
    )
    received = applications.filter(pk__in=submitted.filter(stage__number=1).values("application"))
    received_totals = received.aggregate(
        eligible=Count("pk", filter=Q(is_eligible=True)), requested=Sum("amount_requested")
    )
    received_per_call = dict(
        received.order_by().values("call").annotate(n=Count("pk")).values_list("call", "n")
    )
    decisions = Decision.objects.filter(
        committee__held_on__gte=first_day,
        committee__held_on__lt=last_day,
        application__in=applications,
    )
    laureate_decisions = decisions.filter(
        outcome=Decision.Outcome.LAUREATE, application__status=LAUREATE
    ).order_by("application", "committee__held_on", "pk")
    # The latest laureate decision of each application gives its amount.
    granted = {
        application: (call, amount or Decimal(0))
        for application, call, amount in laureate_decisions.values_list(
            "application", "application__call", "amount_granted"
        )
    }
    by_call = []
    call_ids = set(received_per_call) | {call for call, _amount in granted.values()}
    for call in Call.objects.filter(pk__in=call_ids).order_by("title").only("slug", "title"):
        call_grants = [amount for call_id, amount in granted.values() if call_id == call.pk]
        by_call.append(
            {
                "key": call.slug,
                "label": call.title,
                "applications": received_per_call.get(call.pk, 0),
                # "count" too: the dashboard compares breakdown rows by their count.
                "count": received_per_call.get(call.pk, 0),
                "laureates": len(call_grants),
                "amount_granted": float(sum(call_grants, Decimal(0))),
            }
        )
    return {
        "calls": Call.objects.filter(stages__closes_at__gte=start, stages__closes_at__lt=end)
        .distinct()
        .count(),
        "notes_of_intent": per_stage["notes"],
        "full_applications": per_stage["full"],
        "eligible": received_totals["eligible"],
        "finalists": decisions.filter(
            outcome__in=[Decision.Outcome.INVITED, Decision.Outcome.FINALIST]
        )
        .values("application")
        .distinct()
        .count(),
        "committees": Committee.objects.filter(
            held_on__gte=first_day, held_on__lt=last_day
        ).count(),
        "laureates": len(granted),
        "amount_requested": float(received_totals["requested"] or Decimal(0)),
        "amount_granted": float(sum((amount for _call, amount in granted.values()), Decimal(0))),
        "by_call": by_call,
    }
