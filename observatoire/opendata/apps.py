import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "observatoire.opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from observatoire.core import periodic

        from .tasks import publish_open_data

        periodic.register(publish_open_data, every=datetime.timedelta(days=1))
