"""RSS 2.0 and Atom feeds of the open opportunities; the list's filters apply to them too."""

from django.conf import settings
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire.feeds.feeds import SiteFeed

from . import selectors

ITEMS = 50


class OpportunityFeed(SiteFeed):
    heading = gettext_lazy("Opportunities")
    about = gettext_lazy(
        "Open funding calls, trainings, job and volunteering offers and events spotted by the "
        "network."
    )
    page, detail = "watch:list", "watch:detail"

    def get_object(self, request, *args, **kwargs):
        return selectors.PublicFilters.from_params(request.GET)

    def link(self, filters):
        query = urlencode(filters.as_params())
        return reverse(self.page) + (f"?{query}" if query else "")

    def items(self, filters):
        return selectors.public_items(filters=filters)[:ITEMS]

    def item_description(self, item):
        parts = [item.get_kind_display()]
        if item.funder:
            parts.append(item.funder)
        if item.deadline:
            parts.append(
                _("Deadline: %(date)s") % {"date": date_format(item.deadline, "DATE_FORMAT")}
            )
        text = " — ".join(str(part) for part in parts)
        # Plain text escaped: a feed reader shows markup in a summary as typed.
        return escape(f"{text}. {item.summary}" if item.summary else text)

    def item_pubdate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.funder or settings.NETWORK_NAME

    def item_categories(self, item):
        return [item.get_kind_display(), *(theme.name for theme in item.themes.all())]


class OpportunityAtomFeed(OpportunityFeed):
    feed_type = Atom1Feed
