"""Who may manage the mailing lists: the register's editors (staff and administrators)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from observatoire.accounts.access import can_edit_register

from .models import MailingList


def can_manage_lists(user) -> bool:
    # The lists hold personal data and reach people: the same people who edit the register.
    return can_edit_register(user)


def access_lists(user) -> None:
    if not can_manage_lists(user):
        raise PermissionDenied


def access_mailing_list(user, pk: int) -> MailingList:
    access_lists(user)
    return get_object_or_404(MailingList, pk=pk)
