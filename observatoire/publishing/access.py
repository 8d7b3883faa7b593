"""Who may open an organisation's space and the moderation queue."""

from django.core.exceptions import PermissionDenied

from observatoire.accounts.access import access_organization, can_edit_register


def access_organization_space(user, pk: int):
    """The organisation `pk` if `user` edits it: its own editors, staff and administrators."""
    return access_organization(user, pk, write=True)


def access_moderation(user) -> None:
    """The moderation queue: staff and administrators."""
    if not can_edit_register(user):
        raise PermissionDenied
