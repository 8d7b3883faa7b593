"""Reads of the public news: what the list, the pages, the feeds and the home page show."""

from django.db.models import Q, QuerySet
from django.http import Http404

from observatoire.core.public_cache import cached_public
from observatoire.organizations.models import Organization

from .models import NewsItem

# Values of the list's `source` filter: the network's own news, or one organisation's.
SOURCE_NETWORK = "reseau"


def public_news() -> QuerySet[NewsItem]:
    """Published news of the network and of listed organisations, latest first."""
    return (
        NewsItem.objects.published()
        .filter(
            Q(organization__isnull=True) | Q(organization__status=Organization.Status.QUALIFIED)
        )
        .select_related("organization")
        .order_by("-published_at", "-pk")
    )


def news_filtered(*, source: str = "") -> QuerySet[NewsItem]:
    """The public news of the network only (`source` "reseau"), of the organisation whose slug
    `source` is, or all of them (empty `source`)."""
    news = public_news()
    if source == SOURCE_NETWORK:
        return news.filter(organization__isnull=True)
    if source:
        return news.filter(organization__slug=source)
    return news


def news_sources() -> list[Organization]:
    """The listed organisations that have published news, for the list's filter."""
    return list(
        Organization.objects.filter(
            status=Organization.Status.QUALIFIED,
            news_items__in=NewsItem.objects.published(),
        )
        .exclude(slug="")
        .distinct()
        .order_by("name")
        .only("pk", "name", "slug")
    )


def public_news_item(slug: str) -> NewsItem:
    """The published item at `slug`, or 404."""
    item = public_news().filter(slug=slug).first()
    if item is None:
        raise Http404
    return item


def latest_news(*, count: int = 3) -> list[NewsItem]:
    """The `count` latest public news, cached until the public data changes."""
    count = max(1, min(count, 20))
    return cached_public(f"news:latest:{count}", lambda: list(public_news()[:count]))


def organization_news(*, organization: Organization, count: int = 5) -> list[NewsItem]:
    """The latest published news of one organisation."""
    return list(public_news().filter(organization=organization)[:count])
