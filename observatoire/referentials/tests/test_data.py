"""The reference data the migrations load: counts and values other apps rely on."""

from decimal import Decimal

import pytest

from observatoire.referentials.models import (
    SDG,
    ActionKind,
    College,
    Commune,
    Country,
    Departement,
    Need,
    OrganizationKind,
    Region,
    SDGTarget,
    Theme,
)

pytestmark = pytest.mark.django_db


def test_geography_counts():
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    communes = Commune.objects.count()
    assert 34_000 < communes < 36_000
    located = Commune.objects.filter(latitude__isnull=False, longitude__isnull=False).count()
    assert located / communes > 0.999


def test_known_communes():
    bordeaux = Commune.objects.select_related("departement__region").get(insee_code="33063")
    assert bordeaux.name == "Bordeaux"
    assert "33000" in bordeaux.postal_code_list
    assert abs(bordeaux.latitude - Decimal("44.84")) < Decimal("0.05")
    assert abs(bordeaux.longitude - Decimal("-0.58")) < Decimal("0.05")
    assert bordeaux.departement.code == "33"
    assert bordeaux.departement.region.name == "Nouvelle-Aquitaine"

    poitiers = Commune.objects.get(insee_code="86194")
    assert (poitiers.name, poitiers.postal_codes, poitiers.departement.code) == (
        "Poitiers",
        "86000",
        "86",
    )
    # Paris is one commune, at the centre of its arrondissements.
    paris = Commune.objects.get(insee_code="75056")
    assert "75015" in paris.postal_code_list
    assert abs(paris.latitude - Decimal("48.86")) < Decimal("0.05")
    assert not Commune.objects.filter(insee_code="75115").exists()


def test_corsica_and_overseas():
    assert Departement.objects.get(code="2A").name == "Corse-du-Sud"
    assert Departement.objects.get(code="2B").name == "Haute-Corse"
    assert Commune.objects.get(insee_code="2A004").name == "Ajaccio"
    guadeloupe = Departement.objects.select_related("region").get(code="971")
    assert guadeloupe.name == "Guadeloupe"
    assert guadeloupe.region.code == "01"
    assert guadeloupe.communes.count() == 32
    assert Departement.objects.filter(code__startswith="97").count() == 5


def test_countries():
    assert 245 <= Country.objects.count() <= 255
    assert Country.objects.filter(name_fr="").count() == 0
    expected = {
        "BF": ("BFA", "Burkina Faso", "AF"),
        "MA": ("MAR", "Maroc", "AF"),
        "MG": ("MDG", "Madagascar", "AF"),
        "BO": ("BOL", "Bolivie", "AM"),
        "FR": ("FRA", "France", "EU"),
        "VN": ("VNM", "Viêt Nam", "AS"),
        "NZ": ("NZL", "Nouvelle-Zélande", "OC"),
    }
    for iso2, (iso3, name_fr, continent) in expected.items():
        country = Country.objects.get(iso2=iso2)
        assert (country.iso3, country.name_fr, country.continent) == (iso3, name_fr, continent)
    assert Country.objects.get(iso2="MA").name_en == "Morocco"


def test_sdgs_and_targets():
    colors = dict(SDG.objects.values_list("number", "color"))
    assert list(colors) == list(range(1, 18))
    assert colors[1] == "#E5243B"
    assert colors[6] == "#26BDE2"
    assert colors[17] == "#19486A"
    poverty = SDG.objects.get(number=1)
    assert poverty.short_name_fr == "Pas de pauvreté"
    assert poverty.short_name_en == "No poverty"
    assert poverty.name_fr.startswith("Éliminer la pauvreté")
    assert SDGTarget.objects.count() == 169
    target = SDGTarget.objects.get(code="6.1")
    assert target.goal.number == 6
    assert target.position == 1
    assert target.text_fr and target.text_en
    assert list(SDGTarget.objects.filter(goal__number=1).values_list("code", flat=True)) == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "1.a",
        "1.b",
    ]


def test_default_vocabularies():
    assert Theme.objects.count() == 18
    assert Theme.objects.filter(name_en="").count() == 0
    assert Theme.objects.order_by("position").first().slug == "agriculture"
    assert ActionKind.objects.filter(slug="global-citizenship-education").exists()
    assert Need.objects.count() == 6
    assert list(College.objects.values_list("slug", flat=True)) == [
        "associations",
        "local-authorities",
        "education",
        "economic",
        "other-actors",
    ]
    kinds = {kind.slug: kind for kind in OrganizationKind.objects.select_related("default_college")}
    assert len(kinds) == 20
    assert (kinds["ngo"].family, kinds["ngo"].default_college.slug) == (
        "association",
        "associations",
    )
    assert (kinds["epci"].family, kinds["epci"].authority_level) == ("local_authority", "epci")
    assert kinds["twinning-committee"].authority_level == "twinning_committee"
    assert kinds["university"].default_college.slug == "education"
    assert kinds["chamber"].family == "economic"
    assert kinds["youth-information"].default_college.slug == "other-actors"
    assert all(
        kind.authority_level == "" for kind in kinds.values() if kind.family != "local_authority"
    )
