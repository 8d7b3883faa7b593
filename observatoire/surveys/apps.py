import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "observatoire.surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self):
        from observatoire.core import periodic

        from .tasks import send_due_reminders, send_due_surveys

        periodic.register(send_due_surveys, every=datetime.timedelta(minutes=30))
        periodic.register(send_due_reminders, every=datetime.timedelta(hours=1))

        from observatoire.organizations.privacy import register_personal_data

        from . import privacy

        register_personal_data(privacy.SECTION)
