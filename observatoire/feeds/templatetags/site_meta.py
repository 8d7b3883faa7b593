"""Absolute addresses for the <head> of pages (canonical link, Open Graph).

{% load site_meta %}
{% absolute_uri item.image.url %}                  http://host/media/news/2026/x.jpg
{% static 'feeds/og-default.png' as image %}{% absolute_uri image %}
"""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_uri(context, path: str) -> str:
    request = context.get("request")
    if request is not None:
        return request.build_absolute_uri(path)
    # Outside a request (a mail rendered by the worker): the configured address of the site.
    return settings.SITE_URL.rstrip("/") + "/" + str(path).lstrip("/")
