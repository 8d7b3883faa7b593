from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "observatoire.core"
    verbose_name = _("Core")

    def ready(self):
        from .public_cache import watch_public_models

        watch_public_models()
