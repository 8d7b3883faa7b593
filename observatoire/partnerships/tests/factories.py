"""Builders for the partnership tests: a French city, a partner city abroad, a partnership."""

from observatoire.core.testing import make_organization
from observatoire.referentials.models import Commune, Country

from ..services import foreign_authority_create, partnership_create


def make_french_city(name="Ville de Châtellerault", insee_code="86066"):
    return make_organization(
        name,
        kind_slug="commune",
        commune=Commune.objects.get(insee_code=insee_code),
        legal_form="local_authority",
        status="qualified",
    )


def make_foreign_city(
    name="Commune urbaine d'Oujda", iso2="MA", town="Oujda", lat=34.68, lng=-1.91
):
    return foreign_authority_create(
        name=name,
        country=Country.objects.get(iso2=iso2),
        locality=town,
        latitude=lat,
        longitude=lng,
    )


def make_partnership(french=None, foreign=None, **fields):
    return partnership_create(
        french_authority=french or make_french_city(),
        foreign_authority=foreign or make_foreign_city(),
        **fields,
    )
