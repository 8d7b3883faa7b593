"""Who may see and log support: the back office reads it, staff and administrators write it.

Organisation editors never see support sessions, not even those of their own organisation:
they are the team's working notes.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from observatoire.accounts.access import can_edit_register, is_back_office


def can_view_support(user) -> bool:
    return is_back_office(user)


def can_log_support(user) -> bool:
    return can_edit_register(user)


def access_follow_up(user, pk: int, *, write: bool = False):
    """The follow-up `pk` if `user` may see it (or change it, with write=True); 403/404 else."""
    from .models import FollowUpAction

    if not (can_log_support(user) if write else can_view_support(user)):
        raise PermissionDenied
    return get_object_or_404(FollowUpAction, pk=pk)
