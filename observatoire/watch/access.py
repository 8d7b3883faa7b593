"""Who may use the staff pages of the watch.

Staff and administrators enter, qualify, merge and manage feeds; the observatory reads the queue
and the feeds (it reports on the network's work) but changes nothing; organisation editors and
anonymous visitors are refused.
"""

from django.core.exceptions import PermissionDenied

from observatoire.accounts.access import can_edit_register, is_back_office


def access_watch(user, *, write: bool = False) -> None:
    if not is_back_office(user) or (write and not can_edit_register(user)):
        raise PermissionDenied


def can_edit_watch(user) -> bool:
    return can_edit_register(user)
