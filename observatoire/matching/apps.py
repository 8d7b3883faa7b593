import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "observatoire.matching"
    verbose_name = _("Matching opportunities")

    def ready(self) -> None:
        from observatoire.core import periodic
        from observatoire.organizations import record_panels
        from observatoire.organizations.privacy import register_personal_data

        from . import panels, privacy
        from .tasks import send_weekly_digests

        record_panels.register_organization_panel(panels.organization_matches_panel)
        register_personal_data(privacy.SECTION)
        # Every six hours: the first run of a week sends that week's digests, the others find
        # them recorded and only retry the failed ones (and serve new subscribers).
        periodic.register(send_weekly_digests, every=datetime.timedelta(hours=6))
