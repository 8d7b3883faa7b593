from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeduplicationConfig(AppConfig):
    name = "observatoire.deduplication"
    verbose_name = _("Deduplication")
