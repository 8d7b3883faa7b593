"""Template tags of the maps: a map container's configuration, and the home map's figures."""

import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from observatoire.core.public_cache import cached_public

from .. import selectors

register = template.Library()


@register.simple_tag
def map_attrs(kind: str, endpoint: str = "", query: str = "") -> str:
    """The data attributes `maps.js` reads to draw a map of `kind` from `endpoint` + `query`."""
    config = {
        "kind": kind,
        "endpoint": reverse(endpoint) + query if endpoint else "",
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "outlines": static("maps/"),
        "outlinesAttribution": _("Outlines: Natural Earth, IGN Admin Express (Licence Ouverte)"),
        "region": settings.MAP_REGION_CODE,
        "organizationUrl": reverse("portal:organization", args=["__slug__"]),
        "projectUrl": reverse("portal:project", args=["__slug__"]),
        "labels": {
            "organizations": _("organisations"),
            "projects": _("projects"),
            "cluster": _("%(count)s places: zoom in to see them"),
            "none": _("No data"),
            "legend": _("Number"),
        },
    }
    return format_html('data-map="{}" data-config="{}"', kind, json.dumps(config))


@register.simple_tag
def map_region_summary() -> dict:
    """What the home map says in words: listed organisations, and how many per département."""

    def compute():
        rows = selectors.region_departement_rows({})
        return {
            "total": selectors.listed_organizations().count(),
            "departements": [row for row in rows if row[2]],
        }

    return cached_public("maps:home-summary", compute)


@register.filter
def country_names(codes) -> str:
    """ISO alpha-2 codes as country names in the active language, joined by commas."""
    from observatoire.referentials.models import Country

    names = {c.iso2: c.name for c in Country.objects.filter(iso2__in=list(codes or []))}
    return ", ".join(names.get(code, code) for code in codes or [])
