"""Conflicts of interest between a jury member and an applicant, read from the register.

A reviewer's organisations are the one named on their seat, the one their account edits and the
current affiliations of their person in the register (found by e-mail when not linked). Each
conflict comes with its reason in French, shown to staff before any assignment.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.organizations.models import Affiliation, Organization, OrganizationRelation


def reviewer_organization_ids(reviewer) -> set[int]:
    ids: set[int] = set()
    if reviewer.organization_id:
        ids.add(reviewer.organization_id)
    if reviewer.user_id and reviewer.user.organization_id:
        ids.add(reviewer.user.organization_id)
    affiliations = Affiliation.objects.current()
    if reviewer.person_id:
        affiliations = affiliations.filter(person_id=reviewer.person_id)
    elif reviewer.contact_email:
        affiliations = affiliations.filter(person__emails__address__iexact=reviewer.contact_email)
    else:
        affiliations = affiliations.none()
    ids.update(affiliations.values_list("organization_id", flat=True))
    return ids


def conflicts_between(reviewer, application) -> list[str]:
    """The reasons why `reviewer` should not review `application` (empty: no conflict)."""
    applicant_id = application.organization_id
    if applicant_id is None:
        return []
    own = reviewer_organization_ids(reviewer)
    if not own:
        return []
    names = dict(Organization.objects.filter(pk__in=own).values_list("pk", "name"))
    applicant = application.organization.name
    reasons: list[str] = []
    if applicant_id in own:
        reasons.append(
            _("The reviewer belongs to the applicant organisation « %(name)s ».")
            % {"name": applicant}
        )
    from observatoire.projects.models import ProjectPartner

    shared = (
        ProjectPartner.objects.filter(organization_id__in=own - {applicant_id})
        .filter(project__partners__organization_id=applicant_id)
        .select_related("project", "organization")
        .distinct()
    )
    for partner in shared:
        reasons.append(
            _("« %(name)s » is a partner of the applicant on the project « %(project)s ».")
            % {"name": partner.organization.name, "project": partner.project.title}
        )
    from observatoire.partnerships.models import Partnership

    others = own - {applicant_id}
    partnerships = Partnership.objects.filter(
        Q(french_authority_id=applicant_id, foreign_authority_id__in=others)
        | Q(foreign_authority_id=applicant_id, french_authority_id__in=others)
    ).select_related("french_authority", "foreign_authority")
    for partnership in partnerships:
        other = (
            partnership.foreign_authority
            if partnership.french_authority_id == applicant_id
            else partnership.french_authority
        )
        reasons.append(
            _("« %(name)s » is in a partnership with the applicant (%(partnership)s).")
            % {"name": other.name, "partnership": partnership}
        )
    today = timezone.localdate()
    relations = (
        OrganizationRelation.objects.filter(
            Q(source_id=applicant_id, target_id__in=others)
            | Q(target_id=applicant_id, source_id__in=others)
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("source", "target")
    )
    for relation in relations:
        reasons.append(
            _("« %(name)s » is linked to the applicant: %(relation)s.")
            % {
                "name": names.get(relation.source_id) or names.get(relation.target_id),
                "relation": relation,
            }
        )
    return reasons
