from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "observatoire.groups"
    verbose_name = _("Groups")

    def ready(self):
        from . import record_panels  # noqa: F401  (registers the record panels)
