"""Who may see and decide on duplicates: the back office sees them, staff decide and merge."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from observatoire.accounts.access import can_edit_register, is_back_office


def can_view_duplicates(user) -> bool:
    """Administrators, staff and the observatory (read-only) see the possible duplicates."""
    return is_back_office(user)


def can_merge(user) -> bool:
    """Merging, undoing, dismissing and running the finder change the register: staff only."""
    return can_edit_register(user)


def access_candidate(user, pk, *, write: bool = False):
    """The candidate pair `pk` if `user` may see it (or decide on it, with write=True)."""
    from .models import DuplicateCandidate

    if not (can_merge(user) if write else can_view_duplicates(user)):
        raise PermissionDenied
    return get_object_or_404(DuplicateCandidate.objects.select_related("first", "second"), pk=pk)
