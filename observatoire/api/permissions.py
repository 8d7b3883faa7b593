"""Who may do what through the API: anyone reads public data, staff write with a token."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from observatoire.accounts.access import can_edit_register, is_back_office


def may_write(user) -> bool:
    """Staff and administrators: the roles that edit the register in the back office."""
    return can_edit_register(user)


class ReadOrStaffWrite(BasePermission):
    """Reads are open; writes need a token of a staff member or an administrator."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return may_write(request.user)


class BackOfficeOnly(BasePermission):
    """Staff-only data (people): the back-office roles, the observatory reading only."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return is_back_office(request.user)
        return may_write(request.user)
