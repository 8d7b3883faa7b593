import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "observatoire.finance"
    verbose_name = _("Project finance")

    def ready(self) -> None:
        from observatoire.core import periodic
        from observatoire.projects import tabs

        from .tasks import send_report_reminders

        periodic.register(send_report_reminders, every=datetime.timedelta(hours=6))
        for slug, title, order in (
            ("budget", _("Budget"), 40),
            ("funding", _("Funding plan"), 50),
            ("transactions", _("Transactions"), 55),
            ("applications", _("Applications"), 60),
            ("reports", _("Reports"), 70),
        ):
            tabs.register_project_tab(tabs.ProjectTab(slug, title, f"finance:{slug}", order=order))
