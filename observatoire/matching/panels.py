"""The section « Opportunités qui correspondent » of an organisation's record in the back office."""

from django.urls import reverse
from django.utils.translation import gettext as _

from observatoire.accounts.access import is_back_office
from observatoire.organizations.record_panels import RecordPanel

from . import selectors

PANEL_SIZE = 5


def organization_matches_panel(organization, request) -> RecordPanel | None:
    """The five best open opportunities for the organisation and who receives its digest."""
    if not is_back_office(request.user):
        return None
    matches = selectors.opportunities_for(organization=organization, limit=PANEL_SIZE)
    return RecordPanel(
        title=_("Matching opportunities"),
        template="matching/organization_panel.html",
        context={
            "matches": [(match, selectors.item_link(match.item)) for match in matches],
            "page_url": reverse("matching:organization", args=[organization.pk]),
            "subscriptions": list(selectors.organization_subscriptions(organization)),
        },
        order=35,
    )
