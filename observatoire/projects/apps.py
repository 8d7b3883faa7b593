from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "observatoire.projects"
    verbose_name = _("Cooperation projects")

    def ready(self):
        from . import record_panels  # noqa: F401  (registers the organisation record panel)
        from .tabs import ProjectTab, register_project_tab

        for tab in [
            ProjectTab("overview", _("Overview"), "projects:detail", order=10),
            ProjectTab("partners", _("Partners"), "projects:partners", order=15),
            ProjectTab("checklist", _("Checklist"), "projects:checklist", order=20),
            ProjectTab("stakeholders", _("Stakeholders"), "projects:stakeholders", order=22),
            ProjectTab("governance", _("Governance"), "projects:governance", order=25),
            ProjectTab("results", _("Results"), "projects:results", order=30),
            ProjectTab("documents", _("Documents"), "projects:documents", order=33),
            ProjectTab("news", _("News"), "projects:news", order=35),
        ]:
            register_project_tab(tab)
