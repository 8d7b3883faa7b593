"""The sitemap of the public site: an index of sections, each paginated by Django's framework.

A national register holds hundreds of thousands of organisations: the index lists one file per
`limit` records, and each section computes its latest change with one aggregate, not by reading
every record.
"""

from collections.abc import Callable

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from observatoire.events.models import Event
from observatoire.groups.models import Group
from observatoire.news.models import NewsItem
from observatoire.news.selectors import public_news
from observatoire.portal.index import listed_organizations
from observatoire.projects.models import Project
from observatoire.reports.sitemaps import AnnualReportSitemap
from observatoire.watch.models import WatchItem

# The public pages that are not records, by URL name. The portal adds its own here.
STATIC_PAGES = [
    "core:home",
    "portal:directory",
    "portal:panorama",
    "maps:index",
    "events:list",
    "groups:list",
    "news:list",
    "watch:list",
    "referencing:form",
]

PAGE_SIZE = 10_000


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return STATIC_PAGES

    def location(self, item):
        return reverse(item)


class RecordSitemap(Sitemap):
    """The records of `queryset()`, at the page `url_name` of their slug, with their last change."""

    limit = PAGE_SIZE

    def __init__(self, url_name: str, queryset: Callable[[], QuerySet]):
        self.url_name = url_name
        self.queryset = queryset

    def items(self):
        # A stable order, so that pages do not overlap; only the two columns the file shows.
        return self.queryset().order_by("pk").only("pk", "slug", "updated_at")

    def location(self, item):
        return reverse(self.url_name, kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.queryset().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {
    "pages": StaticPagesSitemap(),
    "structures": RecordSitemap("portal:organization", listed_organizations),
    "projets": RecordSitemap("portal:project", Project.objects.published),
    "evenements": RecordSitemap("events:detail", Event.objects.published),
    "groupes": RecordSitemap("groups:detail", Group.objects.published),
    "actualites": RecordSitemap(
        "news:detail", lambda: NewsItem.objects.filter(pk__in=public_news().values("pk"))
    ),
    "opportunites": RecordSitemap("watch:detail", WatchItem.objects.open),
    "rapports": AnnualReportSitemap(),
}
