"""The tabs of a project's page in the workspace.

The page of a project gathers what several apps know about it (its partners and checklist here,
its budget and reports in `finance`). Each app registers its tabs in its `AppConfig.ready()`:

    from observatoire.projects import tabs
    tabs.register_project_tab(tabs.ProjectTab("budget", _("Budget"), "finance:budget", order=40))

The URL named `url_name` takes the project's pk as its only argument. A tab's template extends
`projects/workspace/project_base.html`, which draws the tabs and marks the current one
(`active_tab` in the context).
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class ProjectTab:
    slug: str
    title: str
    url_name: str
    order: int = 50


_tabs: dict[str, ProjectTab] = {}


def register_project_tab(tab: ProjectTab) -> ProjectTab:
    _tabs[tab.slug] = tab
    return tab


def project_tabs(project) -> list[dict]:
    """The tabs of `project`, in order, with their URL."""
    return [
        {"slug": tab.slug, "title": tab.title, "url": reverse(tab.url_name, args=[project.pk])}
        for tab in sorted(_tabs.values(), key=lambda tab: (tab.order, tab.slug))
    ]
