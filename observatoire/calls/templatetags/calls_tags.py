from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def paris(moment) -> str:
    """« 15 mars 2027 à 12 h 00 »: a deadline as read in Paris, whatever the server's zone."""
    if not moment:
        return ""
    from .. import services

    return _("%(date)s at %(time)s") % services.paris_moment(moment)
