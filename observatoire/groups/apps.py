from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "observatoire.groups"
    verbose_name = _("Groups")

    def ready(self):
        from observatoire.organizations.privacy import register_personal_data

        from . import (
            privacy,
            record_panels,  # noqa: F401  (registers the record panels)
        )

        register_personal_data(privacy.SECTION)
