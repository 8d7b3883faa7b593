import datetime

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "observatoire.watch"
    verbose_name = _("Watch")

    def ready(self) -> None:
        from observatoire.core import periodic
        from observatoire.core.public_cache import watch_public_model

        from .models import WatchItem
        from .tasks import collect_watch_feeds, expire_watch_items

        # The public pages already hide items past their deadline (`open()`); the daily sweep
        # files them under « Expirées » for staff. It only touches published items past their
        # deadline, so a second run changes nothing.
        periodic.register(expire_watch_items, every=datetime.timedelta(days=1))
        periodic.register(collect_watch_feeds, every=datetime.timedelta(minutes=15))
        watch_public_model(WatchItem)
