"""Reading the watch feeds: fetch over HTTP, parse RSS or Atom, turn entries into items to qualify.

Nothing from a feed is ever kept as HTML: titles and summaries are reduced to plain text here,
and templates escape them. A feed that fails (unreachable, error status, too slow, too big, not
a feed) records the reason in French on the feed and changes nothing else; the other feeds go on.
"""

import datetime
import html
import logging
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import feedparser
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from observatoire.core.text import fold

from . import services
from .models import WatchFeed, WatchItem, WatchItemSource

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1"


class FeedError(Exception):
    """Why a feed could not be read, in French, for the staff's feed list."""


@dataclass(frozen=True)
class Fetched:
    not_modified: bool
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""


@dataclass
class CollectResult:
    new: int = 0
    seen_again: int = 0
    duplicates: int = 0
    skipped: int = 0
    error: str = ""
    not_modified: bool = False
    items: list[WatchItem] = field(default_factory=list)


def plain_text(value: str) -> str:
    """Feed HTML reduced to one line of text: tags and scripts dropped, entities decoded."""
    text = value or ""
    # Twice: an escaped tag (&lt;script&gt;) decoded by the first pass is removed by the second.
    for _pass in range(2):
        text = html.unescape(nh3.clean(text, tags=set()))
    return " ".join(text.split())


def fetch(feed: WatchFeed) -> Fetched:
    """The feed's body, or `not_modified` when the server answers 304 to our conditional GET."""
    if not feed.url.lower().startswith(("http://", "https://")):
        raise FeedError(_("Only http and https addresses can be read."))
    timeout = settings.WATCH_FEED_TIMEOUT
    limit = settings.WATCH_FEED_MAX_BYTES
    headers = {"User-Agent": f"Observatoire ({settings.SITE_URL})", "Accept": ACCEPT}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    request = urllib.request.Request(feed.url, headers=headers)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FeedError(_too_big(limit))
            chunks, size = [], 0
            while chunk := response.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FeedError(_too_big(limit))
                if time.monotonic() - started > timeout:
                    raise FeedError(_timed_out(timeout))
                chunks.append(chunk)
            return Fetched(
                not_modified=False,
                body=b"".join(chunks),
                content_type=response.headers.get("Content-Type", ""),
                etag=response.headers.get("ETag", "")[:255],
                last_modified=response.headers.get("Last-Modified", "")[:100],
            )
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(not_modified=True, etag=feed.etag, last_modified=feed.last_modified)
        raise FeedError(
            _("The server answered with the error %(code)s.") % {"code": error.code}
        ) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FeedError(_timed_out(timeout)) from error
        raise FeedError(
            _("The feed could not be reached (%(reason)s).") % {"reason": error.reason}
        ) from error
    except TimeoutError as error:
        raise FeedError(_timed_out(timeout)) from error
    except (OSError, ValueError) as error:  # connection reset, malformed answer, bad address
        raise FeedError(
            _("The feed could not be reached (%(reason)s).") % {"reason": error}
        ) from error


def _too_big(limit: int) -> str:
    return _("Feed too large: more than %(size)s.") % {"size": filesizeformat(limit)}


def _timed_out(seconds: float) -> str:
    return _("The server did not answer within %(seconds)s seconds.") % {"seconds": seconds}


def parse(fetched: Fetched) -> feedparser.FeedParserDict:
    """The parsed feed; FeedError when the body is not RSS or Atom."""
    parsed = feedparser.parse(
        fetched.body, response_headers={"content-type": fetched.content_type or "application/xml"}
    )
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise FeedError(_("The address does not give a valid RSS or Atom feed."))
    return parsed


# --- Deadlines written in the text ("date limite : 15/03/2027", "deadline: March 15, 2027") ---

MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_MONTH = "(?P<month_name>" + "|".join(MONTHS) + ")"
_DATE = (
    r"(?:(?P<d1>\d{1,2}) (?P<m1>\d{1,2}) (?P<y1>\d{4})"
    r"|(?P<y2>\d{4}) (?P<m2>\d{1,2}) (?P<d2>\d{1,2})"
    rf"|(?P<d3>\d{{1,2}})(?:er)? {_MONTH} (?P<y3>\d{{4}})"
    rf"|(?P<month_name2>{'|'.join(MONTHS)}) (?P<d4>\d{{1,2}})(?:st|nd|rd|th)? (?P<y4>\d{{4}}))"
)
_KEYWORDS = (
    r"date limite|date de cloture|cloture|jusqu au|avant le|candidatures? avant"
    r"|deadline|closing date|apply by|applications close|due date"
)
# The keyword, then at most six words (« de dépôt des dossiers », « is »), then the date.
DEADLINE = re.compile(rf"\b(?:{_KEYWORDS})\b(?: [a-z]+){{0,6}}? {_DATE}\b")


def find_deadline(text: str) -> datetime.date | None:
    """The first deadline stated after a keyword in `text`, when it is a real date; else None."""
    match = DEADLINE.search(fold(text))
    if match is None:
        return None
    groups = match.groupdict()
    try:
        if groups["y1"]:
            day, month, year = int(groups["d1"]), int(groups["m1"]), int(groups["y1"])
        elif groups["y2"]:
            day, month, year = int(groups["d2"]), int(groups["m2"]), int(groups["y2"])
        elif groups["y3"]:
            day, month, year = int(groups["d3"]), MONTHS[groups["month_name"]], int(groups["y3"])
        else:
            day, month, year = int(groups["d4"]), MONTHS[groups["month_name2"]], int(groups["y4"])
        found = datetime.date(year, month, day)
    except (ValueError, KeyError, TypeError):
        return None
    return found if 2000 <= found.year <= 2100 else None


# --- Entries to items ---


@dataclass(frozen=True)
class Entry:
    guid: str
    title: str
    summary: str
    link: str
    published_on: datetime.date | None
    deadline: datetime.date | None


def _valid_link(value: str) -> str:
    value = (value or "").strip()[:500]
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value


def read_entry(raw) -> Entry | None:
    """An entry of the feed as plain text, or None when it has neither title nor link."""
    title = plain_text(raw.get("title", ""))[:300]
    content = raw.get("content") or []
    body = raw.get("summary") or (content[0].get("value", "") if content else "")
    summary = plain_text(body)[:5000]
    link = _valid_link(raw.get("link", ""))
    if not title and not link:
        return None
    if not title:
        title = summary[:120] or link[:300]
    guid = (raw.get("id") or raw.get("guid") or link or title)[:500]
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    published_on = datetime.date(*stamp[:3]) if stamp else None
    return Entry(
        guid=guid,
        title=title,
        summary=summary,
        link=link,
        published_on=published_on,
        deadline=find_deadline(f"{title} {summary}"),
    )


def find_duplicate(entry: Entry) -> WatchItem | None:
    """The item this entry announces again: same normalised link, or same title and deadline."""
    candidate = None
    fingerprint = services.link_fingerprint(entry.link)
    if fingerprint:
        candidate = WatchItem.objects.filter(fingerprint=fingerprint).order_by("pk").first()
    if candidate is None:
        folded = fold(entry.title)
        same_title = WatchItem.objects.filter(
            deadline=entry.deadline, search_text__startswith=folded
        ).order_by("pk")
        candidate = next((item for item in same_title if fold(item.title) == folded), None)
    # A duplicate merged by staff stands for the item it was merged into.
    while candidate is not None and candidate.merged_into_id:
        candidate = candidate.merged_into
    return candidate


def _language(parsed) -> str:
    language = (parsed.feed.get("language") or "")[:2].lower()
    return language if language in dict(settings.LANGUAGES) else "fr"


def ingest(*, feed: WatchFeed, entry: Entry, language: str, result: CollectResult) -> None:
    """Record one entry: a sighting of a known item, or a new item to qualify."""
    source = WatchItemSource.objects.filter(feed=feed, guid=entry.guid).first()
    if source is not None:
        source.seen_at = timezone.now()
        source.save(update_fields=["seen_at"])
        result.seen_again += 1
        return
    item = find_duplicate(entry)
    if item is not None:
        result.duplicates += 1
    else:
        item = services.watch_item_create(
            user=None,
            kind=feed.default_kind,
            title=entry.title,
            summary=entry.summary,
            source_url=entry.link,
            funder=feed.funder,
            language=language,
            published_on=entry.published_on,
            deadline=entry.deadline,
            eligibility={"themes": list(feed.default_themes.all())},
        )
        result.new += 1
        result.items.append(item)
    services.record_sighting(item=item, feed=feed, guid=entry.guid, url=entry.link)


def collect_feed(*, feed: WatchFeed, now: datetime.datetime | None = None) -> CollectResult:
    """Read `feed` once and record what it brings; a failure is recorded on the feed."""
    now = now or timezone.now()
    result = CollectResult()
    # Staff read the reason of a failure in the site's language, whoever triggered the read.
    with translation.override(settings.LANGUAGE_CODE):
        return _collect(feed=feed, now=now, result=result)


def _collect(*, feed: WatchFeed, now: datetime.datetime, result: CollectResult) -> CollectResult:
    try:
        fetched = fetch(feed)
        parsed = None if fetched.not_modified else parse(fetched)
    except FeedError as error:
        result.error = str(error)[:500]
        WatchFeed.objects.filter(pk=feed.pk).update(
            last_status=WatchFeed.Status.ERROR,
            last_error=result.error,
            consecutive_failures=F("consecutive_failures") + 1,
        )
        feed.refresh_from_db()
        logger.info("Watch feed %s failed: %s", feed.pk, result.error)
        return result
    with transaction.atomic():
        if parsed is None:
            result.not_modified = True
        else:
            language = _language(parsed)
            for raw in parsed.entries:
                entry = read_entry(raw)
                if entry is None:
                    result.skipped += 1
                    continue
                try:
                    with transaction.atomic():
                        ingest(feed=feed, entry=entry, language=language, result=result)
                except (ValidationError, IntegrityError):
                    # An entry we cannot keep, or one another worker recorded at the same time.
                    result.skipped += 1
        feed.last_fetched_at = now
        feed.last_status = WatchFeed.Status.OK
        feed.last_error = ""
        feed.consecutive_failures = 0
        feed.etag, feed.last_modified = fetched.etag, fetched.last_modified
        feed.save(
            update_fields=[
                "last_fetched_at",
                "last_status",
                "last_error",
                "consecutive_failures",
                "etag",
                "last_modified",
                "updated_at",
            ]
        )
    return result


def collect_due_feeds(*, now: datetime.datetime | None = None) -> dict[int, CollectResult]:
    """Read every active feed that is due; one failing feed never stops the others."""
    now = now or timezone.now()
    results = {}
    for feed in WatchFeed.objects.filter(is_active=True).order_by("pk"):
        if feed.is_due(now):
            try:
                results[feed.pk] = collect_feed(feed=feed, now=now)
            except Exception:  # a bug on one feed must not stop the sweep
                logger.exception("Watch feed %s could not be collected", feed.pk)
    return results
