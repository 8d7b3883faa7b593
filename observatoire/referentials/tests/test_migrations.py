"""The data migrations undo what they do (called directly: reversing through the migration
executor would leave the shared test database without its reference data)."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from observatoire.referentials.models import (
    SDG,
    College,
    Commune,
    Country,
    Departement,
    OrganizationKind,
    Region,
    SDGTarget,
    Theme,
)

pytestmark = pytest.mark.django_db


def migration(name):
    return importlib.import_module(f"observatoire.referentials.migrations.{name}")


class SchemaEditor:
    connection = connection


def test_vocabularies_reverse_keeps_entries_added_by_staff():
    module = migration("0004_default_vocabularies")
    Theme.objects.create(slug="sport", name_fr="Sport", name_en="Sport")
    module.unload_vocabularies(apps, SchemaEditor())
    assert list(Theme.objects.values_list("slug", flat=True)) == ["sport"]
    assert not OrganizationKind.objects.exists()
    assert not College.objects.exists()
    module.load_vocabularies(apps, SchemaEditor())
    assert Theme.objects.count() == 19
    assert OrganizationKind.objects.get(slug="commune").default_college.slug == "local-authorities"


def test_countries_and_sdgs_reverse():
    module = migration("0003_load_countries_and_sdgs")
    module.unload_countries_and_sdgs(apps, SchemaEditor())
    assert not (Country.objects.exists() or SDG.objects.exists() or SDGTarget.objects.exists())
    module.load_countries_and_sdgs(apps, SchemaEditor())
    assert SDGTarget.objects.filter(goal__number=17).count() == 19


def test_geography_reverse():
    module = migration("0002_load_geography")
    module.unload_geography(apps, SchemaEditor())
    assert not (Commune.objects.exists() or Departement.objects.exists() or Region.objects.exists())
