"""The support sections of an organisation's and a person's record in the back office."""

from django.urls import reverse
from django.utils.translation import gettext as _

from observatoire.organizations.record_panels import RecordPanel

from . import selectors
from .access import can_log_support, can_view_support


def organization_support_panel(organization, request) -> RecordPanel | None:
    """The support timeline of the organisation, with a link to log a new session."""
    if not can_view_support(request.user):
        return None
    return RecordPanel(
        title=_("Support sessions"),
        template="support/organization_panel.html",
        context={
            "sessions": selectors.organization_support_timeline(organization),
            "add_url": (
                f"{reverse('admin:support_supportsession_add')}?organization={organization.pk}"
                if can_log_support(request.user)
                else ""
            ),
        },
        order=20,
    )


def person_support_panel(person, request) -> RecordPanel | None:
    """The sessions where the person was met."""
    if not can_view_support(request.user):
        return None
    return RecordPanel(
        title=_("Support sessions where this person was met"),
        template="support/person_panel.html",
        context={"sessions": selectors.person_support_sessions(person)},
        order=20,
    )
