"""Conflicts of interest between jury members and applicants, read from the register.

A reviewer's organisations are the one named on their seat, the one their account edits and the
current affiliations of their person in the register (found by e-mail when not linked). Each
conflict comes with its reason in French, shown to staff before any assignment.

`conflicts_for` checks every pair of a list of reviewers and applications in a fixed number of
queries, so the assignments page and the automatic assignment stay fast for a whole call.
"""

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.organizations.models import Affiliation, Organization, OrganizationRelation


def reviewer_organization_ids(reviewers) -> dict[int, set[int]]:
    """Reviewer id → ids of their organisations."""
    owned: dict[int, set[int]] = {reviewer.pk: set() for reviewer in reviewers}
    by_person: dict[int, list[int]] = defaultdict(list)
    by_email: dict[str, list[int]] = defaultdict(list)
    for reviewer in reviewers:
        if reviewer.organization_id:
            owned[reviewer.pk].add(reviewer.organization_id)
        if reviewer.user_id and reviewer.user.organization_id:
            owned[reviewer.pk].add(reviewer.user.organization_id)
        if reviewer.person_id:
            by_person[reviewer.person_id].append(reviewer.pk)
        elif reviewer.contact_email:
            by_email[reviewer.contact_email.lower()].append(reviewer.pk)
    if by_person or by_email:
        email_filter = Q()
        for address in by_email:
            email_filter |= Q(person__emails__address__iexact=address)
        affiliations = (
            Affiliation.objects.current()
            .filter(Q(person_id__in=list(by_person)) | email_filter)
            .values_list("person_id", "organization_id", "person__emails__address")
        )
        for person_id, organization_id, address in affiliations:
            for reviewer_pk in by_person.get(person_id, []):
                owned[reviewer_pk].add(organization_id)
            for reviewer_pk in by_email.get((address or "").lower(), []):
                owned[reviewer_pk].add(organization_id)
    return owned


def _links(own_ids: set[int], applicant_ids: set[int]) -> dict[tuple[int, int], list[str]]:
    """(organisation, applicant) → reasons, for links between two different organisations."""
    from observatoire.partnerships.models import Partnership
    from observatoire.projects.models import ProjectPartner

    links: dict[tuple[int, int], list[str]] = defaultdict(list)
    names = dict(
        Organization.objects.filter(pk__in=own_ids | applicant_ids).values_list("pk", "name")
    )
    members: dict[int, set[int]] = defaultdict(set)
    titles: dict[int, str] = {}
    for project_id, title, organization_id in ProjectPartner.objects.filter(
        organization_id__in=own_ids | applicant_ids
    ).values_list("project_id", "project__title", "organization_id"):
        members[project_id].add(organization_id)
        titles[project_id] = title
    for project_id, organizations in sorted(members.items(), key=lambda i: titles[i[0]]):
        for applicant in organizations & applicant_ids:
            for other in (organizations & own_ids) - {applicant}:
                links[other, applicant].append(
                    _("« %(name)s » is a partner of the applicant on the project « %(project)s ».")
                    % {"name": names[other], "project": titles[project_id]}
                )
    partnerships = Partnership.objects.filter(
        Q(french_authority_id__in=applicant_ids, foreign_authority_id__in=own_ids)
        | Q(foreign_authority_id__in=applicant_ids, french_authority_id__in=own_ids)
    ).select_related("french_authority", "foreign_authority")
    for partnership in partnerships:
        pair = (partnership.french_authority_id, partnership.foreign_authority_id)
        for other, applicant in (pair, pair[::-1]):
            if other in own_ids and applicant in applicant_ids:
                links[other, applicant].append(
                    _("« %(name)s » is in a partnership with the applicant (%(partnership)s).")
                    % {"name": names[other], "partnership": partnership}
                )
    today = timezone.localdate()
    relations = (
        OrganizationRelation.objects.filter(
            Q(source_id__in=applicant_ids, target_id__in=own_ids)
            | Q(target_id__in=applicant_ids, source_id__in=own_ids)
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("source", "target")
    )
    for relation in relations:
        pair = (relation.source_id, relation.target_id)
        for other, applicant in (pair, pair[::-1]):
            if other in own_ids and applicant in applicant_ids:
                links[other, applicant].append(
                    _("« %(name)s » is linked to the applicant: %(relation)s.")
                    % {"name": names[other], "relation": relation}
                )
    return links


def conflicts_for(reviewers, applications) -> dict[tuple[int, int], list[str]]:
    """(reviewer id, application id) → reasons, for the pairs in conflict only."""
    reviewers = list(reviewers)
    applications = [a for a in applications if a.organization_id]
    owned = reviewer_organization_ids(reviewers)
    own_ids = set().union(*owned.values()) if owned else set()
    applicant_ids = {a.organization_id for a in applications}
    if not own_ids or not applicant_ids:
        return {}
    links = _links(own_ids, applicant_ids)
    names = dict(Organization.objects.filter(pk__in=applicant_ids).values_list("pk", "name"))
    conflicts: dict[tuple[int, int], list[str]] = {}
    for reviewer in reviewers:
        mine = owned[reviewer.pk]
        for application in applications:
            applicant = application.organization_id
            reasons = []
            if applicant in mine:
                reasons.append(
                    _("The reviewer belongs to the applicant organisation « %(name)s ».")
                    % {"name": names[applicant]}
                )
            for organization in sorted(mine - {applicant}):
                reasons += links.get((organization, applicant), [])
            if reasons:
                conflicts[reviewer.pk, application.pk] = reasons
    return conflicts


def conflicts_between(reviewer, application) -> list[str]:
    """The reasons why `reviewer` should not review `application` (empty: no conflict)."""
    return conflicts_for([reviewer], [application]).get((reviewer.pk, application.pk), [])
