from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .selectors import published_reports


class AnnualReportSitemap(Sitemap):
    """The public page of every published annual report."""

    changefreq = "yearly"

    def items(self):
        return published_reports().only("pk", "year", "updated_at")

    def location(self, item):
        return reverse("annual_report:public", kwargs={"year": item.year})

    def lastmod(self, item):
        return item.updated_at
