"""Reads of groups shared by the public pages, the back office and the records."""

import datetime

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from observatoire.organizations.models import Organization

from .models import Group, GroupDocument, GroupMember


def public_groups() -> QuerySet[Group]:
    """Groups whose page staff published and that are not closed, with their member counts."""
    return (
        Group.objects.published()
        .filter(archived_on__isnull=True)
        .annotate(
            member_count=Count(
                "members__organization",
                filter=Q(members__organization__status=Organization.Status.QUALIFIED)
                & (
                    Q(members__left_on__isnull=True) | Q(members__left_on__gte=timezone.localdate())
                ),
                distinct=True,
            )
        )
        .prefetch_related("countries", "themes")
        .order_by("kind", "name")
    )


def public_group(slug: str) -> Group | None:
    return (
        Group.objects.published()
        .select_related("lead")
        .prefetch_related("countries", "themes")
        .filter(slug=slug)
        .first()
    )


def public_member_organizations(group: Group, *, on: datetime.date | None = None):
    """Current member organisations that the public directory lists (qualified, not merged)."""
    return (
        Organization.objects.qualified()
        .filter(merged_into__isnull=True)
        .filter(
            pk__in=GroupMember.objects.current(on)
            .filter(group=group, organization__isnull=False)
            .values("organization")
        )
        .select_related("commune", "kind")
        .order_by("name")
    )


def public_documents(group: Group) -> QuerySet[GroupDocument]:
    return group.documents.filter(is_public=True)


def downloadable_document(*, slug: str, pk: int, back_office: bool) -> GroupDocument | None:
    """The document `pk` of group `slug` if the visitor may download it, else None."""
    documents = GroupDocument.objects.filter(pk=pk, group__slug=slug)
    if not back_office:
        documents = documents.filter(is_public=True, group__is_published=True)
    return documents.select_related("group").first()


def upcoming_public_events(group: Group, *, now: datetime.datetime | None = None):
    """Published events of the group with a sitting still to come, soonest first."""
    from observatoire.events.models import Event

    now = now or timezone.now()
    return (
        group.events.filter(status=Event.Status.PUBLISHED)
        .annotate(next_start=Min("sittings__starts_at", filter=Q(sittings__starts_at__gte=now)))
        .filter(next_start__isnull=False)
        .select_related("commune")
        .order_by("next_start")
    )


def lead_public_label(group: Group) -> str:
    """Only the lead's first name is public, with their role in the group."""
    if group.lead is None:
        return ""
    return group.lead.get_short_name() if group.lead.full_name else ""


def groups_of_organization(organization) -> QuerySet[GroupMember]:
    return (
        GroupMember.objects.filter(organization=organization)
        .select_related("group", "person")
        .order_by("-joined_on")
    )


def groups_of_person(person) -> QuerySet[GroupMember]:
    return (
        GroupMember.objects.filter(person=person)
        .select_related("group", "organization")
        .order_by("-joined_on")
    )
