"""Who may use the staff pages of the calls.

Staff and administrators run calls; the observatory reads them (it reports on them) but
changes nothing; organisation editors and anonymous visitors are refused. Applicants reach
their own application through its signed link only.
"""

from django.core.exceptions import PermissionDenied

from observatoire.accounts.access import can_edit_register, is_back_office


def access_calls(user, *, write: bool = False) -> None:
    if not is_back_office(user) or (write and not can_edit_register(user)):
        raise PermissionDenied


def can_edit_calls(user) -> bool:
    return can_edit_register(user)
