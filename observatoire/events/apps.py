import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "observatoire.events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from observatoire.core import periodic

        from . import (
            record_panels,  # noqa: F401  (registers the record panels)
            spans,  # noqa: F401  (keeps each event's span in step with its sittings)
        )
        from .tasks import send_event_reminders

        periodic.register(send_event_reminders, every=datetime.timedelta(minutes=15))

        from observatoire.organizations.privacy import register_personal_data

        from . import privacy

        register_personal_data(privacy.SECTION)
