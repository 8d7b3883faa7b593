import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "observatoire.campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from observatoire.core import periodic
        from observatoire.newsletters import services as newsletter_services

        from . import services, tasks

        # Every minute: start the campaigns whose time has come, resume the ones a dead worker
        # left half-sent, retry the deliveries whose back-off has elapsed.
        periodic.register(tasks.sweep_campaigns, every=datetime.timedelta(minutes=1))
        newsletter_services.register_bounce_listener(services.delivery_bounced)
