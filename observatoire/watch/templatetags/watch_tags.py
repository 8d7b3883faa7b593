import datetime

from django import template
from django.utils import timezone

from observatoire.referentials.models import Country

register = template.Library()
ZONES = dict(Country.Continent.choices)


@register.filter
def days_left(deadline: datetime.date | None, today: datetime.date | None = None) -> int | None:
    """Days from today to the deadline (0 on the last day), None without a deadline."""
    if deadline is None:
        return None
    return (deadline - (today or timezone.localdate())).days


@register.filter
def zone_labels(zones) -> list[str]:
    return [str(ZONES[code]) for code in zones or [] if code in ZONES]
