"""RSS 2.0 and Atom feeds of the public news, projects and upcoming events.

Feed readers show an item's description as HTML: the plain text of our records is escaped,
so a title or summary containing markup is shown as typed, never interpreted.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire.events.calendar import CalendarFilters, upcoming_events
from observatoire.news.selectors import public_news
from observatoire.organizations.models import Visibility
from observatoire.projects.models import PROJECT_VISIBILITY_DEFAULTS, Project

ITEMS = 30


def project_field_public(project: Project, field: str) -> bool:
    """Whether the public may see `field` of a published project (its own choice or the default)."""
    level = project.field_visibility.get(field, PROJECT_VISIBILITY_DEFAULTS.get(field))
    return level == Visibility.PUBLIC


class SiteFeed(Feed):
    """One feed of the site, in the interface's language (Django's default).

    `heading` and `about` describe it, `page` is the URL name of the page it follows, `detail`
    the URL name of an item's page (by slug).
    """

    heading = ""
    about = ""
    page = ""
    detail = ""

    def title(self):
        names = {"feed": self.heading, "network": settings.NETWORK_NAME}
        return _("%(feed)s — %(network)s") % names

    def link(self):
        return reverse(self.page)

    def description(self):
        return str(self.about)

    def subtitle(self):  # Atom's name for the description
        return str(self.about)

    def feed_copyright(self):
        return settings.NETWORK_NAME

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return reverse(self.detail, kwargs={"slug": item.slug})

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at


class NewsFeed(SiteFeed):
    heading = gettext_lazy("News")
    about = gettext_lazy(
        "News of the network and of the organisations acting abroad in the region."
    )
    page, detail = "news:list", "news:detail"

    def items(self):
        return public_news()[:ITEMS]

    def item_description(self, item):
        return escape(item.summary or item.body[:500])

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.organization.name if item.organization else settings.NETWORK_NAME


class ProjectFeed(SiteFeed):
    heading = gettext_lazy("Projects")
    about = gettext_lazy(
        "The latest cooperation projects published by the network and its members."
    )
    page, detail = "core:home", "portal:project"

    def items(self):
        return (
            Project.objects.published()
            .prefetch_related("themes")
            .order_by("-created_at", "-pk")[:ITEMS]
        )

    def item_description(self, item):
        # Only what the project shows the public: its summary when that is public, else its phase.
        if item.summary and project_field_public(item, "summary"):
            return escape(item.summary)
        return escape(item.get_phase_display())

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


class EventFeed(SiteFeed):
    heading = gettext_lazy("Events")
    about = gettext_lazy("Upcoming trainings, meetings and webinars of the network.")
    page, detail = "events:list", "events:detail"

    def items(self):
        return upcoming_events(CalendarFilters())[:ITEMS]

    def item_description(self, item):
        when = date_format(timezone.localtime(item.first_start), "DATETIME_FORMAT")
        return escape(f"{when} — {item.summary}" if item.summary else when)


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed


class ProjectAtomFeed(ProjectFeed):
    feed_type = Atom1Feed


class EventAtomFeed(EventFeed):
    feed_type = Atom1Feed
