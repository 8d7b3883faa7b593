"""The "Projects" panel of an organisation's record in the back office."""

from django.utils.translation import gettext_lazy as _

from observatoire.accounts.access import is_back_office
from observatoire.organizations import record_panels

from . import selectors


@record_panels.register_organization_panel
def organization_projects_panel(organization, request):
    if not is_back_office(request.user):
        return None
    rows = selectors.projects_of_organization(organization)
    if not rows:
        return None
    return record_panels.RecordPanel(
        title=_("Projects"), template="projects/record_panel.html", context={"rows": rows}, order=45
    )
