"""News blocks for other pages.

    {% load news_tags %}
    {% latest_news 3 %}                      the home page: the network's latest public news
    {% organization_news organization %}     an organisation's page: its published news

Both render nothing when there is no news to show.
"""

from django import template

from observatoire.news import selectors

register = template.Library()


@register.inclusion_tag("news/_latest.html", takes_context=True)
def latest_news(context, count: int = 3):
    return {"news": selectors.latest_news(count=count), "NETWORK_NAME": context.get("NETWORK_NAME")}


@register.inclusion_tag("news/_organization_news.html")
def organization_news(organization, count: int = 5):
    return {
        "news": selectors.organization_news(organization=organization, count=count),
        "organization": organization,
    }
