from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferencingConfig(AppConfig):
    name = "observatoire.referencing"
    verbose_name = _("Referencing")
