from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "feeds"
urlpatterns = [
    path("flux/actualites.rss", feeds.NewsFeed(), name="news_rss"),
    path("flux/actualites.atom", feeds.NewsAtomFeed(), name="news_atom"),
    path("flux/projets.rss", feeds.ProjectFeed(), name="projects_rss"),
    path("flux/projets.atom", feeds.ProjectAtomFeed(), name="projects_atom"),
    path("flux/evenements.rss", feeds.EventFeed(), name="events_rss"),
    path("flux/evenements.atom", feeds.EventAtomFeed(), name="events_atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "feeds:sitemap_section"},
        name="sitemap",
    ),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
]
