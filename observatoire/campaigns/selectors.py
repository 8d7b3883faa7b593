"""Reads of the campaigns: statistics per campaign and per year, the archive, the observatory."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import Campaign, Delivery

_SENT = Q(deliveries__status__in=[Delivery.Status.SENT, Delivery.Status.BOUNCED])
_TRACKED = (
    _SENT & Q(deliveries__tracking_allowed=True) & ~Q(deliveries__status=Delivery.Status.BOUNCED)
)

COUNTS = {
    "recipients": Count("deliveries"),
    "sent": Count("deliveries", filter=_SENT),
    "bounced": Count("deliveries", filter=Q(deliveries__status=Delivery.Status.BOUNCED)),
    "tracked": Count("deliveries", filter=_TRACKED),
    "opened": Count("deliveries", filter=_TRACKED & Q(deliveries__opened_at__isnull=False)),
    "clicked": Count("deliveries", filter=_TRACKED & Q(deliveries__clicked_at__isnull=False)),
    "unsubscribed": Count(
        "deliveries", filter=_SENT & Q(deliveries__unsubscribed_at__isnull=False)
    ),
    "failed": Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
    "uncertain": Count("deliveries", filter=Q(deliveries__status=Delivery.Status.UNCERTAIN)),
    "pending": Count(
        "deliveries",
        filter=Q(deliveries__status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]),
    ),
    "retrying": Count(
        "deliveries",
        filter=Q(deliveries__status=Delivery.Status.PENDING, deliveries__attempts__gt=0),
    ),
    "skipped": Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SKIPPED)),
}
FIGURE_KEYS = ("sent", "delivered", "bounced", "opened", "clicked", "unsubscribed")


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Stats:
    recipients: int = 0
    sent: int = 0
    bounced: int = 0
    tracked: int = 0
    opened: int = 0
    clicked: int = 0
    unsubscribed: int = 0
    failed: int = 0
    uncertain: int = 0
    pending: int = 0
    retrying: int = 0
    skipped: int = 0

    @property
    def delivered(self) -> int:
        """Sent and not bounced back."""
        return self.sent - self.bounced

    @property
    def open_rate(self) -> float | None:
        """Unique opens among the delivered recipients who allowed measurement."""
        return _rate(self.opened, self.tracked)

    @property
    def click_rate(self) -> float | None:
        return _rate(self.clicked, self.tracked)

    @property
    def bounce_rate(self) -> float | None:
        return _rate(self.bounced, self.sent)

    @property
    def unsubscribe_rate(self) -> float | None:
        return _rate(self.unsubscribed, self.delivered)

    def __add__(self, other: "Stats") -> "Stats":
        return Stats(**{name: getattr(self, name) + getattr(other, name) for name in COUNTS})


def with_counts(campaigns: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """The campaigns annotated with the counts of their deliveries (one query)."""
    return campaigns.annotate(**{f"n_{name}": aggregate for name, aggregate in COUNTS.items()})


def stats_of(campaign: Campaign) -> Stats:
    """The statistics of one campaign, from annotations when present."""
    if hasattr(campaign, "n_sent"):
        return Stats(**{name: getattr(campaign, f"n_{name}") for name in COUNTS})
    row = with_counts(Campaign.objects.filter(pk=campaign.pk)).values(
        *(f"n_{name}" for name in COUNTS)
    )[0]
    return Stats(**{name: row[f"n_{name}"] for name in COUNTS})


def campaign_list(*, status: str = "") -> QuerySet[Campaign]:
    campaigns = Campaign.objects.prefetch_related("lists").order_by(
        "-finished_at", "-scheduled_at", "-created_at"
    )
    if status in Campaign.Status.values:
        campaigns = campaigns.filter(status=status)
    return with_counts(campaigns)


def stats_by_year() -> list[tuple[int, int, Stats]]:
    """(year, campaigns sent, summed statistics) for each year campaigns finished, newest first."""
    years: dict[int, list] = defaultdict(lambda: [0, Stats()])
    for campaign in with_counts(Campaign.objects.filter(finished_at__isnull=False).order_by()).only(
        "finished_at"
    ):
        year = campaign.finished_at.year
        years[year][0] += 1
        years[year][1] = years[year][1] + stats_of(campaign)
    return [(year, n, stats) for year, (n, stats) in sorted(years.items(), reverse=True)]


def archive() -> QuerySet[Campaign]:
    """The sent campaigns the network publishes, newest first."""
    return Campaign.objects.in_archive().order_by("-finished_at", "-pk")


def mailings_figures(*, start: datetime.datetime, end: datetime.datetime) -> dict:
    """The observatory's communication.mailings: campaigns finished in [start, end)."""
    campaigns = Campaign.objects.filter(finished_at__gte=start, finished_at__lt=end)
    total = Stats()
    count = 0
    for campaign in with_counts(campaigns.order_by()):
        total = total + stats_of(campaign)
        count += 1
    return {
        "campaigns_sent": count,
        "sent": total.sent,
        "delivered": total.delivered,
        "bounced": total.bounced,
        "opened": total.opened,
        "clicked": total.clicked,
        "unsubscribed": total.unsubscribed,
    }
