"""The sitemap of the public site: an index of sections, each paginated by Django's framework.

A national register holds hundreds of thousands of organisations: the index lists one file per
`limit` records, and each section computes its latest change with one aggregate, not by reading
every record.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from observatoire.events.models import Event
from observatoire.groups.models import Group
from observatoire.news.models import NewsItem
from observatoire.news.selectors import public_news
from observatoire.organizations.models import Organization
from observatoire.projects.models import Project

# The public pages that are not records, by URL name. The portal adds its own here.
STATIC_PAGES = ["core:home", "events:list", "groups:list", "news:list", "referencing:form"]

PAGE_SIZE = 10_000


class StaticPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return STATIC_PAGES

    def location(self, item):
        return reverse(item)


class RecordSitemap(Sitemap):
    """Records of one public queryset, by slug, with the date of their last change."""

    limit = PAGE_SIZE
    url_name = ""

    def queryset(self) -> QuerySet:
        raise NotImplementedError

    def items(self):
        # A stable order, so that pages do not overlap; only the two columns the file shows.
        return self.queryset().order_by("pk").only("pk", "slug", "updated_at")

    def location(self, item):
        return reverse(self.url_name, kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.queryset().aggregate(latest=Max("updated_at"))["latest"]


class OrganizationSitemap(RecordSitemap):
    url_name = "portal:organization"

    def queryset(self):
        return Organization.objects.filter(
            status=Organization.Status.QUALIFIED, merged_into__isnull=True
        ).exclude(slug="")


class ProjectSitemap(RecordSitemap):
    url_name = "portal:project"

    def queryset(self):
        return Project.objects.published()


class EventSitemap(RecordSitemap):
    url_name = "events:detail"

    def queryset(self):
        return Event.objects.published()


class GroupSitemap(RecordSitemap):
    url_name = "groups:detail"

    def queryset(self):
        return Group.objects.published()


class NewsSitemap(RecordSitemap):
    url_name = "news:detail"

    def queryset(self):
        return NewsItem.objects.filter(pk__in=public_news().values("pk"))


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "structures": OrganizationSitemap,
    "projets": ProjectSitemap,
    "evenements": EventSitemap,
    "groupes": GroupSitemap,
    "actualites": NewsSitemap,
}
