"""Who may use the follow-up of laureates.

Staff and administrators record agreements, payments and reports; the observatory reads them (it
reports on the calls); organisation editors and anonymous visitors are refused.
"""

from django.core.exceptions import PermissionDenied

from observatoire.accounts.access import can_edit_register, is_back_office


def access_grants(user, *, write: bool = False) -> None:
    if not is_back_office(user) or (write and not can_edit_register(user)):
        raise PermissionDenied


def can_edit_grants(user) -> bool:
    return can_edit_register(user)
