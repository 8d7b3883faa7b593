"""Where each figure of the dashboard leads: the staff list of the records it counts, with the
filter parameters that list already understands.

Some lists cannot express every filter (docs/observatory.md says which): the link then goes to
the closest list, filtered as far as it can be.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from observatoire.core.periods import Period
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    College,
    Country,
    Departement,
    OrganizationKind,
    Theme,
)

from .figures import Filters

REGISTER = "admin:organizations_organization_changelist"
REQUESTS = "admin:referencing_referencingrequest_changelist"
PROJECTS = "projects:list"
TRAININGS_TABLE = "admin:surveys_trainingsatisfaction_changelist"
EVENTS = "admin:events_event_changelist"
REGISTRATIONS = "admin:events_registration_changelist"
SESSIONS = "admin:support_supportsession_changelist"
NEWS = "admin:news_newsitem_changelist"
PARTNERSHIPS = "admin:partnerships_partnership_changelist"


def _url(name: str, **params) -> str:
    given = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + (f"?{urlencode(given)}" if given else "")


@dataclass
class Links:
    """The primary keys behind the codes and slugs of the figures, loaded once per page."""

    period: Period
    filters: Filters

    def __post_init__(self):
        self.departements = dict(Departement.objects.values_list("code", "pk"))
        self.kinds = dict(OrganizationKind.objects.values_list("slug", "pk"))
        self.colleges = dict(College.objects.values_list("slug", "pk"))
        self.themes = dict(Theme.objects.values_list("slug", "pk"))
        self.action_kinds = dict(ActionKind.objects.values_list("slug", "pk"))
        self.sdgs = {str(n): pk for n, pk in SDG.objects.values_list("number", "pk")}
        self.countries = dict(Country.objects.values_list("iso2", "pk"))
        self.year = self.period.end.year

    # The parameters of the lists ------------------------------------------------------------

    def register_scope(self) -> dict:
        scope = {
            "departement": self.departements.get(self.filters.departement),
            "kind": self.kinds.get(self.filters.kind),
        }
        if self.filters.college:
            # The register's college filter reads memberships: that of the year, here.
            scope.update(college=self.colleges.get(self.filters.college), member_year=self.year)
        return scope

    def events_period(self) -> str | None:
        """The events lists know years and the last twelve months, not dates of one's choice."""
        return self.period.parameter if self.period.parameter != "custom" else None

    def support_year(self) -> int | None:
        return self.period.start.year if self.period.is_calendar_year else None

    # One link per figure key (and row key for the breakdowns) -------------------------------

    def listed(self, **more) -> str:
        return _url(REGISTER, status="qualified", **{**self.register_scope(), **more})

    def members(self, **more) -> str:
        return _url(
            REGISTER,
            membership="up_to_date",
            **{**self.register_scope(), "member_year": self.year, **more},
        )

    def support(self, **more) -> str:
        scope = {
            "year": self.support_year(),
            "departement": self.departements.get(self.filters.departement),
        }
        return _url(SESSIONS, **{**scope, **more})

    def for_figure(self, key: str) -> str | None:
        events = {"period": self.events_period()}
        links = {
            "organizations.listed": self.listed,
            "organizations.qualified_in_period": self.listed,
            "members.up_to_date": self.members,
            "members.fees_total": self.members,
            "referencing.received": lambda: _url(REQUESTS),
            "referencing.qualified": lambda: _url(REQUESTS, queue="done"),
            "referencing.rejected": lambda: _url(REQUESTS, queue="done"),
            "referencing.organizations_qualified": self.listed,
            "projects.intentions": lambda: _url(PROJECTS, phase="emergence"),
            "projects.active": lambda: _url(PROJECTS),
            "trainings.count": lambda: _url(EVENTS, category="trainings", **events),
            "trainings.participants": lambda: _url(
                REGISTRATIONS, category="trainings", took_part="yes", **events
            ),
            "trainings.satisfaction": lambda: _url(TRAININGS_TABLE, year=self.period.start.year),
            "support.sessions": self.support,
            "support.organizations": self.support,
            "meetings.count": lambda: _url(EVENTS, category="meetings", **events),
            "meetings.participants": lambda: _url(
                REGISTRATIONS, category="meetings", took_part="yes", **events
            ),
            "communication.news_published": lambda: _url(NEWS, is_published__exact=1),
            "communication.events_published": lambda: _url(
                EVENTS, status__exact="published", **events
            ),
            "coverage.partnerships": lambda: _url(PARTNERSHIPS),
        }
        link = links.get(key)
        return link() if link else None

    def for_row(self, key: str, row_key: str) -> str | None:
        """The list of the records one line of a breakdown counts; None when it has none."""
        none = "none"
        builders = {
            "organizations.by_kind": lambda k: self.listed(kind=self.kinds.get(k)),
            "organizations.by_college": lambda k: self.listed(
                college=self.colleges.get(k), member_year=self.year
            ),
            "organizations.by_departement": lambda k: self.listed(
                departement=self.departements.get(k)
            ),
            "members.by_departement": lambda k: self.members(departement=self.departements.get(k)),
            "members.by_college": lambda k: self.members(college=self.colleges.get(k)),
            "projects.by_phase": lambda k: _url(PROJECTS, phase=k),
            "support.by_departement": lambda k: self.support(
                departement=self.departements.get(k, none)
            ),
            "support.by_theme": lambda k: self.support(theme=self.themes.get(k, none)),
            "support.by_country": lambda k: self.support(country=self.countries.get(k, none)),
            "meetings.by_organization_kind": lambda k: _url(
                REGISTRATIONS,
                category="meetings",
                took_part="yes",
                period=self.events_period(),
                **(
                    {"organization__kind__id__exact": self.kinds[k]}
                    if k in self.kinds
                    else {"organization__kind__isnull": "True"}
                ),
            ),
            "coverage.sdg_organizations": lambda k: self.listed(sdg=self.sdgs.get(k)),
            "coverage.sdg_projects": lambda k: _url(PROJECTS),
            "coverage.countries_organizations": lambda k: self.listed(
                country=self.countries.get(k)
            ),
            "coverage.countries_projects": lambda k: _url(PROJECTS, country=self.countries.get(k)),
            "coverage.kinds_of_action": lambda k: self.listed(action_kind=self.action_kinds.get(k)),
            "coverage.themes": lambda k: self.listed(theme=self.themes.get(k)),
            "calls.by_call": lambda k: reverse("grants:call", args=[k]),
            "coverage.partnerships.by_country": lambda k: _url(
                PARTNERSHIPS, foreign_authority__seat_country__id__exact=self.countries.get(k)
            ),
        }
        builder = builders.get(key)
        if builder is None or (row_key == "" and not key.startswith("support.")):
            return None
        return builder(row_key)
