import datetime

from django.utils import timezone

from observatoire.watch import services
from observatoire.watch.models import WatchItem


def make_item(
    title: str = "Appel FISONG",
    *,
    publish: bool = True,
    days_left: int | None = 30,
    eligibility: dict | None = None,
    **fields,
) -> WatchItem:
    """An item entered by staff, published by default, closing in `days_left` days."""
    fields.setdefault("kind", WatchItem.Kind.FUNDING_CALL)
    if days_left is not None:
        fields.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=days_left))
    return services.watch_item_create(
        user=None, title=title, publish=publish, eligibility=eligibility, **fields
    )
