from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeduplicationConfig(AppConfig):
    name = "observatoire.deduplication"
    verbose_name = _("Deduplication")

    def ready(self):
        from observatoire.organizations import record_panels

        from .panels import duplicates_panel

        record_panels.register_organization_panel(duplicates_panel)
