"""Times of sittings in Paris time and in another zone (a participant's, a sitting's own)."""

import zoneinfo

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from ..models import PARIS
from ..zones import zone_label

register = template.Library()


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name or PARIS)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(PARIS)


def span(starts_at, ends_at, zone_name: str) -> str:
    """“mardi 9 mars 2027, 14:00–16:30” in the zone; both dates when it ends another day."""
    zone = _zone(zone_name)
    start, end = timezone.localtime(starts_at, zone), timezone.localtime(ends_at, zone)
    day = formats.date_format(start, "l j F Y")
    if start.date() == end.date():
        return _("%(day)s, %(start)s–%(end)s") % {
            "day": day,
            "start": start.strftime("%H:%M"),
            "end": end.strftime("%H:%M"),
        }
    return _("%(day)s, %(start)s to %(end_day)s, %(end)s") % {
        "day": day,
        "start": start.strftime("%H:%M"),
        "end_day": formats.date_format(end, "l j F Y"),
        "end": end.strftime("%H:%M"),
    }


@register.simple_tag
def sitting_times(sitting, zone_name: str = "") -> list[str]:
    """Lines telling when a sitting is: Paris time, the sitting's own zone, the given zone."""
    lines = [_("%(span)s (Paris time)") % {"span": span(sitting.starts_at, sitting.ends_at, PARIS)}]
    for other in (sitting.time_zone, zone_name):
        if not other or other == PARIS or any(other in line for line in lines[1:]):
            continue
        shown = span(sitting.starts_at, sitting.ends_at, other)
        lines.append(
            _("that is %(span)s — local time: %(zone)s")
            % {"span": shown, "zone": zone_label(other)}
        )
    return lines


@register.filter
def zone_name_label(zone: str) -> str:
    return zone_label(zone)
