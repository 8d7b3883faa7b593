from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from observatoire.accounts.access import can_edit_register

from .models import Campaign


def access_campaigns(user) -> None:
    """Campaigns are the staff's: administrators and staff, nobody else."""
    if not can_edit_register(user):
        raise PermissionDenied


def access_campaign(user, pk: int) -> Campaign:
    access_campaigns(user)
    return get_object_or_404(Campaign, pk=pk)
