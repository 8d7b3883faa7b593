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
