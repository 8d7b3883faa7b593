"""Who may import: staff and administrators, who write the register. Views call these only."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from observatoire.accounts.access import can_edit_register


def access_imports(user) -> None:
    """Importing writes the register: staff and administrators, not the observatory."""
    if not can_edit_register(user):
        raise PermissionDenied


def access_import_job(user, pk):
    """An import job: any member of staff may follow and finish another's import."""
    from .models import ImportJob

    access_imports(user)
    return get_object_or_404(ImportJob, pk=pk)
