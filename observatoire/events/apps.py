from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "observatoire.events"
    verbose_name = _("Events")

    def ready(self):
        from . import record_panels  # noqa: F401  (registers the record panels)
