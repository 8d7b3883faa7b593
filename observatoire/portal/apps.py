from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "observatoire.portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from .index import connect_signals

        connect_signals()
