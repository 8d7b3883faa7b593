"""What every tab of a project's workspace page needs in its context."""

from .access import can_edit_project
from .tabs import project_tabs


def project_page_context(request, project, active_tab: str, **extra) -> dict:
    return {
        "project": project,
        "project_tabs": project_tabs(project),
        "active_tab": active_tab,
        "can_edit": can_edit_project(request.user, project),
        **extra,
    }
