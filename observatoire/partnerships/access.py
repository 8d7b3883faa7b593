"""Who may read and edit a partnership. Views call these and nothing else to decide access.

Staff and administrators work on every partnership; the observatory reads them all. An
organisation editor of either authority (the French city's international officer, or an editor
of the partner city) reads and edits the partnerships of their authority.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from observatoire.accounts.access import can_edit_register, is_back_office
from observatoire.accounts.models import Role

from .models import Partnership


def _editor_organization_id(user) -> int | None:
    if (
        user.is_authenticated
        and user.is_active
        and user.role == Role.ORGANIZATION_EDITOR
        and user.organization_id
    ):
        return user.organization_id
    return None


def partnerships_for(user) -> QuerySet[Partnership]:
    """The partnerships `user` may open in the workspace."""
    if is_back_office(user):
        return Partnership.objects.all()
    organization_id = _editor_organization_id(user)
    if organization_id:
        return Partnership.objects.filter(
            Q(french_authority=organization_id) | Q(foreign_authority=organization_id)
        )
    return Partnership.objects.none()


def editable_partnerships_for(user) -> QuerySet[Partnership]:
    """The partnerships `user` may change."""
    if can_edit_register(user):
        return Partnership.objects.all()
    if _editor_organization_id(user):
        return partnerships_for(user)
    return Partnership.objects.none()


def can_create_partnership(user) -> bool:
    """Staff for any authority; an editor for the authority they edit."""
    return can_edit_register(user) or _editor_organization_id(user) is not None


def can_edit_partnership(user, partnership: Partnership) -> bool:
    return editable_partnerships_for(user).filter(pk=partnership.pk).exists()


def access_partnership(user, pk: int, *, write: bool = False) -> Partnership:
    """The partnership `pk` if `user` may read it (or change it, with write=True); 404/403 else."""
    partnership = get_object_or_404(
        Partnership.objects.select_related(
            "french_authority__commune",
            "foreign_authority__seat_country",
            "officer",
        ),
        pk=pk,
    )
    allowed = editable_partnerships_for(user) if write else partnerships_for(user)
    if not allowed.filter(pk=partnership.pk).exists():
        raise PermissionDenied
    return partnership
