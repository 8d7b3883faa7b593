import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "observatoire.grants"
    verbose_name = _("Follow-up of laureates")

    def ready(self) -> None:
        from observatoire.core import periodic

        from .tasks import send_grant_report_reminders

        periodic.register(send_grant_report_reminders, every=datetime.timedelta(hours=6))
