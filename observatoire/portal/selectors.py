"""What the home page shows: key figures, the latest projects and the next events."""

from typing import Any

from django.utils import timezone

from observatoire.core.public_cache import cached_public
from observatoire.events.calendar import CalendarFilters, upcoming_events
from observatoire.organizations.models import Membership
from observatoire.projects.models import Project

from .models import OrganizationEntry, OrganizationFacet, ProjectEntry, ProjectFacet


def _key_figures(year: int) -> dict[str, int]:
    # Distinct values and membership rows read from the indexes: at 200,000 organisations,
    # reading every country row in Python and testing each organisation took 3 s.
    countries = set(
        OrganizationFacet.objects.filter(facet="country").values_list("value", flat=True).distinct()
    ) | set(ProjectFacet.objects.filter(facet="country").values_list("value", flat=True).distinct())
    paid = Membership.objects.up_to_date(year).values("organization_id")
    return {
        "year": year,
        "organizations": OrganizationEntry.objects.count(),
        "members": OrganizationEntry.objects.filter(organization__in=paid).count(),
        "projects": ProjectEntry.objects.count(),
        "countries": len(countries),
        "events": upcoming_events(CalendarFilters()).count(),
    }


def home_key_figures() -> dict[str, int]:
    """Listed organisations, members this year, published projects, countries, coming events."""
    year = timezone.localdate().year
    return cached_public(f"portal-home-figures:{year}", lambda: _key_figures(year))


def latest_projects(*, limit: int = 4) -> list[Project]:
    """The published projects most recently published or changed."""
    return list(
        Project.objects.filter(public_entry__isnull=False)
        .order_by("-public_entry__updated_at", "-pk")
        .prefetch_related("countries")[:limit]
    )


def next_events(*, limit: int = 4) -> list[Any]:
    return list(upcoming_events(CalendarFilters())[:limit])
