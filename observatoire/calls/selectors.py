"""Reads on calls and applications shared by the staff pages, the exports and the figures."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from observatoire.core.periods import Period
from observatoire.core.search import filter_by_search_text
from observatoire.organizations.models import Organization
from observatoire.referencing.selectors import public_matches

from .models import Application, Call, FormField, Submission


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


def public_calls() -> list[Call]:
    """Published calls: open first (nearest deadline first), then upcoming, then closed."""
    now = timezone.now()
    calls = list(Call.objects.published().prefetch_related("stages"))
    order = {"open": 0, "upcoming": 1, "closed": 2}
    for call in calls:
        call.public_phase = call.phase(now)
        stages = call.ordered_stages()
        call.stage_list = stages
        call.next_deadline = next(
            (stage.closes_at for stage in stages if stage.closes_at > now), None
        )
    far = now + datetime.timedelta(days=36500)
    return sorted(
        calls,
        key=lambda call: (
            order[call.public_phase],
            call.next_deadline or far if call.public_phase != "closed" else now,
            -(call.stage_list[-1].closes_at.timestamp() if call.stage_list else 0),
        ),
    )


def staff_calls() -> QuerySet[Call]:
    """Every call with its number of submitted applications per stage."""
    submitted = Q(
        applications__submissions__submitted_at__isnull=False,
    ) & ~Q(applications__status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])
    return Call.objects.annotate(
        drafts=Count(
            "applications",
            filter=Q(applications__status=Application.Status.DRAFT),
            distinct=True,
        ),
        stage_1=Count(
            "applications",
            filter=submitted & Q(applications__submissions__stage__number=1),
            distinct=True,
        ),
        stage_2=Count(
            "applications",
            filter=submitted & Q(applications__submissions__stage__number=2),
            distinct=True,
        ),
    ).order_by("-created_at")


def staff_applications(
    *, call: Call, stage_number: int | None = None, status: str = ""
) -> QuerySet[Application]:
    """The applications of a call for staff: drafts included unless a stage is asked."""
    applications = Application.objects.filter(call=call)
    if stage_number is not None:
        applications = applications_for(call=call, stage_number=stage_number)
    if status:
        applications = applications.filter(status=status)
    return applications.select_related(
        "organization", "referencing_request", "organization__departement"
    ).order_by("status", "submitted_at", "pk")


def submission_summary(*, submission: Submission) -> list[dict]:
    """The answers of a submission, in the order of the form, as label and text."""
    attachments = {attachment.field_id: attachment for attachment in submission.attachments.all()}
    rows = []
    for form_field in submission.stage.fields.all():
        value = submission.answers.get(str(form_field.pk))
        attachment = attachments.get(form_field.pk)
        rows.append(
            {
                "field": form_field,
                "text": _answer_text(form_field, value, attachment),
                "attachment": attachment,
                "budget": value if form_field.kind == FormField.Kind.BUDGET_TABLE else None,
            }
        )
    return rows


def _answer_text(form_field: FormField, value, attachment) -> str:
    kind = FormField.Kind
    if form_field.kind == kind.ATTACHMENT:
        return attachment.original_name if attachment else "—"
    if value in (None, "", []):
        return "—"
    if form_field.kind == kind.MULTIPLE_CHOICE:
        return ", ".join(value)
    if form_field.kind == kind.AMOUNT:
        return f"{number_format(Decimal(value), 2, force_grouping=True)} EUR"
    if form_field.kind == kind.DATE:
        return date_format(datetime.date.fromisoformat(value), "j F Y")
    if form_field.kind == kind.BUDGET_TABLE:
        lines = [
            f"{row['label']} : {number_format(Decimal(row['amount']), 2, force_grouping=True)} EUR"
            for row in value.get("rows", [])
        ]
        lines.append(
            _("Total: %(total)s EUR")
            % {"total": number_format(Decimal(value.get("total", 0)), 2, force_grouping=True)}
        )
        return "\n".join(lines)
    return str(value)


def register_search(query: str, *, limit: int = 10) -> list[Organization]:
    """Listed organisations matching a name, a SIREN/SIRET or an RNA number (near names too)."""
    query = query.strip()
    if len(query) < 2:
        return []
    listed = Organization.objects.qualified().select_related("commune", "kind")
    compact = query.replace(" ", "").replace(".", "").upper()
    if compact.isdigit() and len(compact) in (9, 14):
        return list(listed.filter(Q(siren=compact[:9]) | Q(siret=compact))[:limit])
    if compact.startswith("W") and compact[1:].isdigit() and len(compact) == 10:
        return list(listed.filter(rna=compact)[:limit])
    found = list(filter_by_search_text(listed, query).order_by("name")[:limit])
    known = {organization.pk for organization in found}
    for match in public_matches({"name": query}, limit=limit):
        if match.pk not in known and len(found) < limit:
            found.append(listed.get(pk=match.pk))
            known.add(match.pk)
    return found
