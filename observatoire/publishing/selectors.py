"""Reads of the organisation space and of the moderation queue."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from observatoire.events.models import Event
from observatoire.news.models import NewsItem
from observatoire.organizations.models import (
    Affiliation,
    Consent,
    Organization,
    Visibility,
)
from observatoire.projects.access import editable_projects_for
from observatoire.projects.models import Project, ProjectPartner
from observatoire.referentials.models import SDG, ActionKind, Country, Theme

from .models import Submission
from .services import EDITABLE_FIELDS, EDITABLE_RELATIONS


def _with_latest_submission(queryset: QuerySet, model) -> QuerySet:
    latest = Submission.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
    ).order_by("-submitted_at", "-pk")
    return queryset.annotate(
        submission_status=Subquery(latest.values("status")[:1]),
        submission_message=Subquery(latest.values("message")[:1]),
    )


def organization_projects(organization: Organization, *, user) -> list[Project]:
    """The organisation's projects, each with its last submission and whether `user` edits it."""
    projects = _with_latest_submission(
        Project.objects.filter(partners__organization=organization).distinct(), Project
    ).order_by("title")
    editable = set(editable_projects_for(user).values_list("pk", flat=True))
    led = set(
        ProjectPartner.objects.filter(
            organization=organization, role=ProjectPartner.Role.LEAD
        ).values_list("project", flat=True)
    )
    projects = list(projects)
    for project in projects:
        project.may_request = project.pk in editable and project.pk in led
    return projects


def organization_events(organization: Organization) -> QuerySet[Event]:
    return _with_latest_submission(
        Event.objects.filter(partner_organizers=organization), Event
    ).order_by("-created_at")


def organization_news(organization: Organization) -> QuerySet[NewsItem]:
    return _with_latest_submission(
        NewsItem.objects.filter(organization=organization), NewsItem
    ).order_by("-created_at")


def organization_submissions(organization: Organization) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(organization=organization)
        .select_related("content_type", "submitted_by", "reviewed_by")
        .prefetch_related("content_object")
        .order_by("-submitted_at", "-pk")
    )


@dataclass(frozen=True)
class Contact:
    affiliation: Affiliation
    public: bool


def organization_contacts(organization: Organization) -> list[Contact]:
    """Current contacts with whether they appear publicly: their latest directory consent."""
    latest = Consent.objects.filter(
        person=OuterRef("person"), purpose=Consent.Purpose.DIRECTORY
    ).order_by("-given_at", "-pk")
    affiliations = (
        Affiliation.objects.current()
        .filter(organization=organization, person__archived_at__isnull=True)
        .select_related("person")
        .annotate(_directory=Subquery(latest.values("granted")[:1]))
        .order_by("-is_main_contact", "person__last_name", "person__first_name")
    )
    return [Contact(a, bool(a._directory)) for a in affiliations]


# Moderation ----------------------------------------------------------------------------------


def moderation_queue(status: str) -> QuerySet[Submission]:
    """Submissions in `status`, oldest first: the first submitted is the first reviewed."""
    return (
        Submission.objects.filter(status=status)
        .select_related("organization", "submitted_by", "reviewed_by", "content_type")
        .prefetch_related("content_object")
        .order_by("submitted_at", "pk")
    )


def moderation_counts() -> dict[str, int]:
    counts = dict(
        Submission.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Submission.Status.values}


@dataclass(frozen=True)
class DiffRow:
    label: str
    before: str
    after: str


_RELATED = {"themes": Theme, "sdgs": SDG, "action_kinds": ActionKind, "countries": Country}


def _names(model, pks) -> str:
    return ", ".join(str(obj) for obj in model.objects.filter(pk__in=pks)) or "—"


def submission_held_updates(submission: Submission) -> list:
    """The news of a published project that wait for this submission's approval."""
    ids = (
        submission.changes.get("updates", []) if submission.kind == Submission.Kind.PROJECT else []
    )
    if not ids or submission.content_object is None:
        return []
    return list(submission.content_object.updates.filter(pk__in=ids).prefetch_related("photos"))


def submission_diff(submission: Submission) -> list[DiffRow]:
    """Each proposed change of organisation details beside the value the public sees now."""
    from .services import organization_current_values

    if submission.kind != Submission.Kind.ORGANIZATION:
        return []
    organization = submission.organization
    current = organization_current_values(organization)
    labels = {Visibility(v).value: Visibility(v).label for v in Visibility.values}
    rows = []
    for field in [*EDITABLE_FIELDS, *EDITABLE_RELATIONS]:
        if field not in submission.changes:
            continue
        label = capfirst(str(Organization._meta.get_field(field).verbose_name))
        if field in EDITABLE_RELATIONS:
            before = _names(_RELATED[field], current[field])
            after = _names(_RELATED[field], submission.changes[field])
        else:
            before, after = current[field] or "—", submission.changes[field] or "—"
        rows.append(DiffRow(label, before, after))
    roles = submission.changes.get("roles", {})
    affiliations = Affiliation.objects.filter(
        organization=organization, pk__in=[int(pk) for pk in roles]
    ).select_related("person")
    for affiliation in affiliations:
        rows.append(
            DiffRow(
                _("Role of %(person)s") % {"person": affiliation.person},
                affiliation.role or "—",
                roles[str(affiliation.pk)] or "—",
            )
        )
    for field, level in submission.changes.get("field_visibility", {}).items():
        if current["field_visibility"].get(field) == level:
            continue
        name = str(Organization._meta.get_field(field).verbose_name)
        rows.append(
            DiffRow(
                _("Visibility of “%(field)s”") % {"field": name},
                str(labels.get(current["field_visibility"].get(field), "—")),
                str(labels.get(level, level)),
            )
        )
    return rows
