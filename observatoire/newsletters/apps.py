from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "observatoire.newsletters"
    verbose_name = _("Newsletters and mailing lists")

    def ready(self) -> None:
        import datetime

        from observatoire.core import periodic
        from observatoire.organizations.privacy import register_personal_data

        from . import privacy
        from .tasks import read_bounce_mailbox

        register_personal_data(privacy.SECTION)
        periodic.register(read_bounce_mailbox, every=datetime.timedelta(minutes=15))
