"""Test personas and record builders shared by the test suites of every app."""

from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-42"


def make_user(role: str, *, email: str | None = None, organization=None, **fields):
    User = get_user_model()
    return User.objects.create_user(
        email=email or f"{role}@personas.test",
        password=PASSWORD,
        role=role,
        organization=organization,
        full_name=fields.pop("full_name", role.replace("_", " ").title()),
        **fields,
    )


def make_organization(
    name: str = "Association Eau Vive Charente", *, kind_slug="association", **fields
):
    """An organisation saved through the service, so derived fields are filled as in real use."""
    from observatoire.organizations.models import Organization
    from observatoire.organizations.services import organization_save
    from observatoire.referentials.models import OrganizationKind

    organization = Organization(
        name=name, kind=OrganizationKind.objects.get(slug=kind_slug), **fields
    )
    return organization_save(organization=organization)


def make_person(first_name="Awa", last_name="Traoré", *, email: str | None = None, **fields):
    from observatoire.organizations.models import Person
    from observatoire.organizations.services import person_add_email, person_save

    person = person_save(person=Person(first_name=first_name, last_name=last_name, **fields))
    if email:
        person_add_email(person=person, address=email, is_primary=True)
    return person


REFERENCE_DATA_MIGRATIONS = [
    ("observatoire.referentials.migrations.0002_load_geography", "load_geography"),
    (
        "observatoire.referentials.migrations.0003_load_countries_and_sdgs",
        "load_countries_and_sdgs",
    ),
    ("observatoire.referentials.migrations.0004_default_vocabularies", "load_vocabularies"),
    ("observatoire.referentials.migrations.0006_load_dac_sectors", "load_dac_sectors"),
    ("observatoire.support.migrations.0002_help_kinds", "load_help_kinds"),
    ("observatoire.projects.migrations.0002_default_checklist", "load_default_checklist"),
]


def ensure_reference_data() -> None:
    """Reload the shipped reference data when a transactional test has flushed it."""
    import importlib

    from django.apps import apps
    from django.db import connection

    from observatoire.referentials.models import Commune

    if Commune.objects.exists():
        return
    with connection.schema_editor(atomic=True) as schema_editor:
        for module_name, function_name in REFERENCE_DATA_MIGRATIONS:
            getattr(importlib.import_module(module_name), function_name)(apps, schema_editor)
    # The communes came back under new ids: the per-process commune index must forget the old
    # ones, or a later browser test resolves "Poitiers" to a commune that no longer exists.
    from observatoire.referentials.selectors import communes_index_clear

    communes_index_clear()
