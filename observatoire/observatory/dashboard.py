"""The staff dashboard: the figures of a period beside those of the period before, each with
its definition and the link to the list it counts."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from observatoire.core.periods import Period

from .figures import Filters, collect, definition
from .links import Links

# (title of the section, figures with one number, breakdowns into rows)
SECTIONS = [
    (
        gettext_lazy("Organisations"),
        ["organizations.listed", "organizations.qualified_in_period"],
        ["organizations.by_kind", "organizations.by_college", "organizations.by_departement"],
    ),
    (
        gettext_lazy("Members"),
        ["members.up_to_date", "members.fees_total"],
        ["members.by_departement", "members.by_college"],
    ),
    (
        gettext_lazy("Referencing"),
        [
            "referencing.received",
            "referencing.qualified",
            "referencing.rejected",
            "referencing.organizations_qualified",
        ],
        [],
    ),
    (gettext_lazy("Projects"), ["projects.intentions", "projects.active"], ["projects.by_phase"]),
    (
        gettext_lazy("Trainings"),
        ["trainings.count", "trainings.participants", "trainings.satisfaction"],
        [],
    ),
    (
        gettext_lazy("Support"),
        ["support.sessions", "support.organizations"],
        ["support.by_departement", "support.by_theme", "support.by_country"],
    ),
    (
        gettext_lazy("Network life"),
        ["meetings.count", "meetings.participants"],
        ["meetings.by_organization_kind"],
    ),
    (
        gettext_lazy("Calls for proposals"),
        [
            "calls.calls",
            "calls.notes_of_intent",
            "calls.full_applications",
            "calls.eligible",
            "calls.finalists",
            "calls.committees",
            "calls.laureates",
            "calls.amount_requested",
            "calls.amount_granted",
        ],
        ["calls.by_call"],
    ),
    (
        gettext_lazy("Communication"),
        [
            "communication.news_published",
            "communication.events_published",
            "communication.mailings.campaigns_sent",
            "communication.mailings.sent",
            "communication.mailings.delivered",
            "communication.mailings.bounced",
            "communication.mailings.opened",
            "communication.mailings.clicked",
            "communication.mailings.unsubscribed",
        ],
        [],
    ),
]
# Figures that are amounts or shares, shown with a decimal.
DECIMALS = {
    "members.fees_total",
    "trainings.satisfaction",
    "calls.amount_requested",
    "calls.amount_granted",
}


def lookup(data: dict, key: str):
    value = data
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def change(current, previous) -> str:
    """The change from `previous` to `current` in %, "—" when both are nothing, "new" from 0."""
    if current is None or previous is None:
        return "—"
    if previous == 0:
        return "—" if current == 0 else _("new")
    percent = round((current - previous) * 100 / previous)
    return f"{percent:+d} %".replace("+0 %", "0 %")


@dataclass
class Line:
    key: str
    label: str
    current: object
    previous: object
    change: str
    link: str | None
    colour: str = ""
    value: float | None = None


@dataclass
class Figure:
    key: str
    title: str
    text: str
    current: object
    previous: object
    change: str
    link: str | None
    rows: list[Line] = field(default_factory=list)


@dataclass
class Section:
    title: str
    figures: list[Figure]
    breakdowns: list[Figure]


def compare_rows(key: str, current: list[dict], previous: list[dict], links: Links) -> list[Line]:
    """The rows of a breakdown, each with its count the period before (in the current order)."""
    before = {r["key"]: r["count"] for r in previous or []}
    return [
        Line(
            key=r["key"],
            label=r["label"],
            current=r["count"],
            previous=before.get(r["key"], 0),
            change=change(r["count"], before.get(r["key"], 0)),
            link=links.for_row(key, r["key"]),
            colour=r.get("colour", ""),
            value=r.get("value"),
        )
        for r in current or []
    ]


def figure(key: str, current: dict, previous: dict, links: Links) -> Figure:
    meaning = definition(key)
    now, before = lookup(current, key), lookup(previous, key)
    is_rows = isinstance(now, list)
    return Figure(
        key=key,
        title=str(meaning.title),
        text=str(meaning.text),
        current=None if is_rows else now,
        previous=None if is_rows else before,
        change="" if is_rows else change(now, before),
        link=None if is_rows else links.for_figure(key),
        rows=compare_rows(key, now, before, links) if is_rows else [],
    )


@dataclass
class Dashboard:
    period: Period
    previous_period: Period
    filters: Filters
    data: dict
    previous: dict
    sections: list[Section]


def dashboard(period: Period, filters: Filters) -> Dashboard:
    """The figures of the period and of the one before, grouped in sections, with links."""
    current = collect(period, filters)
    before_period = period.previous()
    previous = collect(before_period, filters)
    links = Links(period=period, filters=filters)
    sections = [
        Section(
            title=str(title),
            figures=[figure(key, current, previous, links) for key in figures],
            breakdowns=[figure(key, current, previous, links) for key in breakdowns],
        )
        for title, figures, breakdowns in SECTIONS
    ]
    return Dashboard(period, before_period, filters, current, previous, sections)


def csv_rows(board: Dashboard) -> tuple[list[str], list[list]]:
    """The dashboard as spreadsheet rows: one per figure and one per line of a breakdown."""
    headers = [
        _("Section"),
        _("Figure"),
        _("Key"),
        _("Line"),
        _("Code"),
        board.period.label or _("Period"),
        board.previous_period.label or _("Previous period"),
        pgettext("evolution", "Change"),
    ]
    rows = []
    for section in board.sections:
        for item in section.figures:
            rows.append(
                [
                    section.title,
                    item.title,
                    item.key,
                    "",
                    "",
                    item.current,
                    item.previous,
                    item.change,
                ]
            )
        for item in section.breakdowns:
            for line in item.rows:
                rows.append(
                    [
                        section.title,
                        item.title,
                        item.key,
                        line.label,
                        line.key,
                        line.current,
                        line.previous,
                        line.change,
                    ]
                )
    return headers, rows
