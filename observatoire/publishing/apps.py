from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublishingConfig(AppConfig):
    name = "observatoire.publishing"
    verbose_name = _("Publishing and moderation")

    def ready(self):
        from observatoire.projects.signals import public_content_changed

        from .services import on_project_public_change

        public_content_changed.connect(on_project_public_change, dispatch_uid="publishing")
