from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "observatoire.partnerships"
    verbose_name = _("Decentralised cooperation")

    def ready(self):
        from observatoire.organizations import record_panels

        from . import panels

        record_panels.register_organization_panel(panels.organization_partnerships_panel)
