"""Time zones of the participants: the partner countries' zones first, then all the others."""

import zoneinfo
from functools import cache

from django.utils.translation import gettext_lazy as _

from .models import PARIS

# The zones of the countries the region's organisations work with most, in the order shown.
PARTNER_ZONES = [
    (PARIS, _("France (Paris)")),
    ("Africa/Dakar", _("Senegal (Dakar)")),
    ("Africa/Bamako", _("Mali (Bamako)")),
    ("Africa/Ouagadougou", _("Burkina Faso (Ouagadougou)")),
    ("Africa/Abidjan", _("Côte d'Ivoire (Abidjan)")),
    ("Africa/Lome", _("Togo (Lomé)")),
    ("Africa/Porto-Novo", _("Benin (Porto-Novo)")),
    ("Africa/Niamey", _("Niger (Niamey)")),
    ("Africa/Conakry", _("Guinea (Conakry)")),
    ("Africa/Douala", _("Cameroon (Douala)")),
    ("Africa/Kinshasa", _("DR Congo (Kinshasa)")),
    ("Africa/Casablanca", _("Morocco (Casablanca)")),
    ("Africa/Algiers", _("Algeria (Algiers)")),
    ("Africa/Tunis", _("Tunisia (Tunis)")),
    ("Indian/Antananarivo", _("Madagascar (Antananarivo)")),
    ("Indian/Reunion", _("Réunion")),
    ("America/Port-au-Prince", _("Haiti (Port-au-Prince)")),
    ("America/Martinique", _("Martinique and Guadeloupe")),
    ("America/Cayenne", _("French Guiana (Cayenne)")),
    ("America/Sao_Paulo", _("Brazil (São Paulo)")),
    ("America/Bogota", _("Colombia (Bogotá)")),
    ("America/Lima", _("Peru (Lima)")),
    ("America/La_Paz", _("Bolivia (La Paz)")),
    ("America/Mexico_City", _("Mexico (Mexico City)")),
    ("Asia/Ho_Chi_Minh", _("Vietnam (Ho Chi Minh City)")),
    ("Asia/Phnom_Penh", _("Cambodia (Phnom Penh)")),
]


@cache
def other_zones() -> tuple[str, ...]:
    partner = {zone for zone, _label in PARTNER_ZONES}
    return tuple(sorted(z for z in zoneinfo.available_timezones() if "/" in z and z not in partner))


def zone_choices() -> list:
    """Grouped choices for a select: the partner countries' zones, then every other zone."""
    return [
        (_("Partner countries"), list(PARTNER_ZONES)),
        (_("Other time zones"), [(zone, zone.replace("_", " ")) for zone in other_zones()]),
    ]


def zone_label(zone: str) -> str:
    for known, label in PARTNER_ZONES:
        if known == zone:
            return str(label)
    return zone.replace("_", " ")


def is_known_zone(zone: str) -> bool:
    if not zone or zone in {z for z, _label in PARTNER_ZONES}:
        return bool(zone)
    return zone in other_zones()
