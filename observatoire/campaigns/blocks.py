"""Blocks of a campaign: open watch items, upcoming events and news, rendered at send time.

A block is a small dict stored on the campaign (`Campaign.blocks`), for example
`{"type": "watch", "title": "", "count": 5, "kinds": ["funding_call"], "theme": "health",
"items": []}`.
`items` (ids) picks watch items by hand; otherwise the filters choose the next ones.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from observatoire.events.calendar import CalendarFilters, upcoming_events
from observatoire.news.models import NewsItem
from observatoire.watch.models import WatchItem, WatchKind

BLOCK_TYPES = {
    "watch": _("Open funding calls and opportunities"),
    "events": _("Upcoming events"),
    "news": _("News"),
}
MAX_COUNT = 20


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    summary: str
    meta: str  # a date, a deadline, a funder


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path if path.startswith("/") else path


def _watch_url(item: WatchItem) -> str:
    try:
        return _absolute(item.get_absolute_url())
    except NoReverseMatch:  # the public pages of the watch are not installed
        return item.source_url or _absolute(f"/opportunites/{item.slug}/")


def normalize(block: dict) -> dict | None:
    """The block as stored: known type and kinds, a count in 1..MAX_COUNT; None if unusable."""
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        return None
    try:
        count = int(block.get("count") or 5)
    except (TypeError, ValueError):
        count = 5
    kinds = [kind for kind in block.get("kinds") or [] if kind in WatchKind.values]
    items = [int(pk) for pk in block.get("items") or [] if str(pk).isdigit()]
    return {
        "type": block["type"],
        "title": str(block.get("title") or "")[:200],
        "count": max(1, min(count, MAX_COUNT)),
        "kinds": kinds if block["type"] == "watch" else [],
        "theme": str(block.get("theme") or "")[:60],
        "items": items if block["type"] == "watch" else [],
    }


def _watch_entries(block: dict, today: datetime.date) -> list[Entry]:
    items = WatchItem.objects.open(today=today)
    if block["items"]:
        items = items.filter(pk__in=block["items"])
    else:
        if block["kinds"]:
            items = items.filter(kind__in=block["kinds"])
        if block["theme"]:
            items = items.filter(themes__slug=block["theme"])
    items = items.distinct().order_by("deadline", "pk")[: block["count"]]
    entries = []
    for item in items:
        meta = [item.funder] if item.funder else []
        if item.deadline:
            meta.append(_("Deadline: %(date)s") % {"date": item.deadline.strftime("%d/%m/%Y")})
        entries.append(Entry(item.title, _watch_url(item), item.summary[:400], " · ".join(meta)))
    return entries


def _event_entries(block: dict) -> list[Entry]:
    events = upcoming_events(CalendarFilters(theme=block["theme"]))[: block["count"]]
    return [
        Entry(
            event.title,
            _absolute(reverse("events:detail", kwargs={"slug": event.slug})),
            event.summary,
            timezone.localtime(event.first_start).strftime("%d/%m/%Y %H:%M"),
        )
        for event in events
    ]


def _news_entries(block: dict) -> list[Entry]:
    news = NewsItem.objects.published().select_related("organization")[: block["count"]]
    return [
        Entry(
            item.title,
            _absolute(item.get_absolute_url()),
            item.summary,
            timezone.localtime(item.published_at).strftime("%d/%m/%Y"),
        )
        for item in news
    ]


def block_entries(block: dict, *, today: datetime.date | None = None) -> list[Entry]:
    """The entries a block shows today."""
    today = today or timezone.localdate()
    if block["type"] == "watch":
        return _watch_entries(block, today)
    if block["type"] == "events":
        return _event_entries(block)
    return _news_entries(block)


def render_blocks(blocks: list, *, language: str = "fr") -> tuple[str, str]:
    """The blocks as HTML (escaped by the template) and as plain text; empty blocks left out."""
    sections = []
    with translation.override(language):
        for raw in blocks or []:
            block = normalize(raw)
            if block is None:
                continue
            entries = block_entries(block)
            if entries:
                sections.append(
                    {"title": block["title"] or str(BLOCK_TYPES[block["type"]]), "entries": entries}
                )
        context = {"sections": sections}
        html = render_to_string("campaigns/mail/blocks.html", context) if sections else ""
        text = render_to_string("campaigns/mail/blocks.txt", context) if sections else ""
    return html.strip(), text.strip()
