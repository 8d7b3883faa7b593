"""Watch items and organisations described by their vocabulary slugs, for the matching tests."""

import datetime

from django.utils import timezone

from observatoire.core.testing import make_organization
from observatoire.referentials.models import (
    SDG,
    Commune,
    Country,
    Departement,
    Need,
    OrganizationKind,
    Theme,
)
from observatoire.watch.models import WatchItem

TODAY = datetime.date(2026, 3, 2)


def make_item(
    title: str,
    *,
    kind: str = WatchItem.Kind.FUNDING_CALL,
    status: str = WatchItem.Status.PUBLISHED,
    deadline: datetime.date | None = None,
    days_left: int | None = 30,
    published_at: datetime.datetime | None = None,
    themes=(),
    sdgs=(),
    countries=(),
    zones=(),
    kinds=(),
    departements=(),
    needs=(),
    funder: str = "",
) -> WatchItem:
    if deadline is None and days_left is not None:
        deadline = TODAY + datetime.timedelta(days=days_left)
    item = WatchItem.objects.create(
        kind=kind,
        title=title,
        slug=f"item-{WatchItem.objects.count() + 1}",
        status=status,
        deadline=deadline,
        zones=list(zones),
        funder=funder,
        source_url="https://financeur.example/appel",
        published_at=published_at or timezone.now() - datetime.timedelta(days=1),
    )
    item.themes.set(Theme.objects.filter(slug__in=themes))
    item.sdgs.set(SDG.objects.filter(number__in=sdgs))
    item.countries.set(Country.objects.filter(iso2__in=countries))
    item.organization_kinds.set(OrganizationKind.objects.filter(slug__in=kinds))
    item.departements.set(Departement.objects.filter(code__in=departements))
    item.needs.set(Need.objects.filter(slug__in=needs))
    return item


def make_profiled_organization(
    name: str,
    *,
    kind_slug: str = "association",
    departement: str = "16",
    themes=(),
    sdgs=(),
    countries=(),
    needs=(),
):
    organization = make_organization(
        name,
        kind_slug=kind_slug,
        # The département follows the commune of the seat.
        commune=Commune.objects.filter(departement__code=departement).order_by("pk").first(),
    )
    organization.themes.set(Theme.objects.filter(slug__in=themes))
    organization.sdgs.set(SDG.objects.filter(number__in=sdgs))
    organization.countries.set(Country.objects.filter(iso2__in=countries))
    organization.needs.set(Need.objects.filter(slug__in=needs))
    return organization


def water_in_senegal():
    """An association of Charente working on water in Senegal and looking for funding."""
    return make_profiled_organization(
        "Association Eau Vive Charente",
        themes=["water-sanitation"],
        sdgs=[6],
        countries=["SN"],
        needs=["funding"],
    )
