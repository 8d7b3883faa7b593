"""The period every figure of the back office and the observatory is counted over.

A period is a span of days, both ends included, in the site's time zone. Figures that filter
datetimes use `bounds()` (aware, end excluded); figures that filter dates use `date_bounds()`
(end excluded too), so that both kinds of record count the same days.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FIRST_YEAR = 1980
LAST_YEAR = 2100


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included, in the site's time zone."""

    start: datetime.date
    end: datetime.date
    label: str = ""
    # The value of the `period` URL parameter that names it ("2026", "last12" or "custom").
    parameter: str = ""

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year), str(year))

    @classmethod
    def last_twelve_months(cls, today: datetime.date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(_one_year_before(today), today, _("the last 12 months"), "last12")

    @classmethod
    def custom(cls, start: datetime.date, end: datetime.date) -> "Period":
        """The days from `start` to `end`, both included (swapped when given backwards)."""
        if end < start:
            start, end = end, start
        label = _("from %(start)s to %(end)s") % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        }
        return cls(start, end, label, "custom")

    @classmethod
    def parse(cls, value: str | None, *, today: datetime.date | None = None) -> "Period":
        """The period an URL parameter names; the last twelve months when it names none."""
        value = (value or "").strip()
        if value.isdigit() and FIRST_YEAR <= int(value) <= LAST_YEAR:
            return cls.year(int(value))
        return cls.last_twelve_months(today)

    @property
    def is_calendar_year(self) -> bool:
        return (
            self.start.month == 1
            and self.start.day == 1
            and self.end == datetime.date(self.start.year, 12, 31)
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before this one (the year before a year)."""
        if self.is_calendar_year:
            return Period.year(self.start.year - 1)
        if self.parameter == "last12":
            end = self.start - datetime.timedelta(days=1)
            return Period(_one_year_before(end), end, _("the 12 months before"), "")
        end = self.start - datetime.timedelta(days=1)
        return Period.custom(end - datetime.timedelta(days=self.days - 1), end)

    def date_bounds(self) -> tuple[datetime.date, datetime.date]:
        """(first day, the day after the last one): for date fields, end excluded."""
        return self.start, self.end + datetime.timedelta(days=1)

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """(start, end excluded) as aware datetimes in the site's time zone."""
        zone = timezone.get_current_timezone()
        start, end = self.date_bounds()
        return (
            datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(end, datetime.time.min, tzinfo=zone),
        )

    def as_dict(self) -> dict[str, str]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": str(self.label),
        }


def _one_year_before(day: datetime.date) -> datetime.date:
    """The first day of the twelve months that end on `day`."""
    try:
        start = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        start = day.replace(year=day.year - 1, day=28)
    return start + datetime.timedelta(days=1)
