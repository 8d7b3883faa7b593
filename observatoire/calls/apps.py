from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "observatoire.calls"
    verbose_name = _("Calls for proposals")

    def ready(self):
        from observatoire.organizations.privacy import register_personal_data

        from . import privacy

        register_personal_data(privacy.SECTION)
