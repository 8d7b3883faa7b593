"""Who may read and edit a project. Views call these and nothing else to decide access.

Staff and administrators work on every project; the observatory reads them all. An organisation
editor works on the projects of their organisation: they read every project it takes part in,
and edit those it leads, or all of them when staff let the partners edit (`partners_may_edit`).
The public sees published projects only, through the portal, never through the workspace.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from observatoire.accounts.access import can_edit_register, is_back_office
from observatoire.accounts.models import Role

from .models import Project, ProjectPartner


def _is_editor_of_an_organization(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.ORGANIZATION_EDITOR
        and user.organization_id
    )


def projects_for(user) -> QuerySet[Project]:
    """The projects `user` may open in the workspace."""
    if is_back_office(user):
        return Project.objects.all()
    if _is_editor_of_an_organization(user):
        return Project.objects.filter(partners__organization=user.organization_id).distinct()
    return Project.objects.none()


def editable_projects_for(user) -> QuerySet[Project]:
    """The projects `user` may change."""
    if can_edit_register(user):
        return Project.objects.all()
    if _is_editor_of_an_organization(user):
        mine = ProjectPartner.objects.filter(organization=user.organization_id)
        return Project.objects.filter(
            Q(pk__in=mine.filter(role=ProjectPartner.Role.LEAD).values("project"))
            | Q(pk__in=mine.values("project"), partners_may_edit=True)
        )
    return Project.objects.none()


def can_edit_project(user, project: Project) -> bool:
    return editable_projects_for(user).filter(pk=project.pk).exists()


def access_project(user, pk: int, *, write: bool = False) -> Project:
    """The project `pk` if `user` may read it (or change it, with write=True); 404/403 else."""
    project = get_object_or_404(Project, pk=pk)
    allowed = editable_projects_for(user) if write else projects_for(user)
    if not allowed.filter(pk=project.pk).exists():
        raise PermissionDenied
    return project


def can_create_project(user) -> bool:
    """Staff create any project; an organisation editor, one their organisation leads."""
    return can_edit_register(user) or _is_editor_of_an_organization(user)


def can_confirm_phase_change(user, project: Project) -> bool:
    """Moving on with checklist entries missing: staff, or the editors of the lead partner."""
    if can_edit_register(user):
        return True
    return bool(
        _is_editor_of_an_organization(user)
        and project.partners.filter(
            organization=user.organization_id, role=ProjectPartner.Role.LEAD
        ).exists()
    )


def access_project_creation(user) -> None:
    if not can_create_project(user):
        raise PermissionDenied
