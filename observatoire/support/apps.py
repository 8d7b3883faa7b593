from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "observatoire.support"
    verbose_name = _("Support")

    def ready(self):
        from observatoire.organizations import record_panels

        from . import panels

        record_panels.register_organization_panel(panels.organization_support_panel)
        record_panels.register_person_panel(panels.person_support_panel)

        from observatoire.organizations.privacy import register_personal_data

        from . import privacy

        register_personal_data(privacy.SECTION)
