"""The groups panel of organisations' and people's records in the back office."""

from django.utils.translation import gettext_lazy as _

from observatoire.accounts.access import is_back_office
from observatoire.organizations import record_panels

from . import selectors


def _panel(memberships, request):
    if not is_back_office(request.user):
        return None
    rows = list(memberships)
    if not rows:
        return None
    return record_panels.RecordPanel(
        title=_("Groups"), template="groups/record_panel.html", context={"rows": rows}, order=35
    )


@record_panels.register_organization_panel
def organization_groups_panel(organization, request):
    return _panel(selectors.groups_of_organization(organization), request)


@record_panels.register_person_panel
def person_groups_panel(person, request):
    return _panel(selectors.groups_of_person(person), request)
