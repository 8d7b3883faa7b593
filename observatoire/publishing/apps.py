from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "observatoire.publishing"
    verbose_name = _("Publishing and moderation")
