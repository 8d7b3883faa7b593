import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferencingConfig(AppConfig):
    name = "observatoire.referencing"
    verbose_name = _("Referencing")

    def ready(self):
        from observatoire.core import periodic

        from .tasks import purge_unconfirmed_requests

        periodic.register(purge_unconfirmed_requests, every=datetime.timedelta(hours=6))
