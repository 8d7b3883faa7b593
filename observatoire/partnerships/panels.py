"""The partnerships section of an organisation's record in the back office."""

from django.urls import reverse
from django.utils.translation import gettext as _

from observatoire.accounts.access import can_edit_register, is_back_office
from observatoire.organizations.record_panels import RecordPanel

from .selectors import organization_partnerships


def organization_partnerships_panel(organization, request) -> RecordPanel | None:
    """The partnerships where the organisation is one of the two authorities."""
    if not is_back_office(request.user):
        return None
    partnerships = organization_partnerships(organization)
    if not partnerships and organization.kind.family != "local_authority":
        return None
    return RecordPanel(
        title=_("Decentralised cooperation partnerships"),
        template="partnerships/record_panel.html",
        context={
            "partnerships": partnerships,
            "add_url": reverse("admin:partnerships_partnership_add")
            if can_edit_register(request.user)
            else "",
        },
        order=30,
    )
