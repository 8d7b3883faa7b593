import pytest

from observatoire.accounts.models import Role
from observatoire.core.testing import ensure_reference_data, make_organization, make_user


@pytest.fixture
def organization(db):
    return make_organization()


@pytest.fixture
def administrator(db):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def staff(db):
    return make_user(Role.STAFF)


@pytest.fixture
def observatory(db):
    return make_user(Role.OBSERVATORY)


@pytest.fixture
def editor(db, organization):
    return make_user(Role.ORGANIZATION_EDITOR, organization=organization)


@pytest.fixture
def other_organization(db):
    return make_organization("Comité de jumelage Niort–Atakpamé", kind_slug="twinning-committee")


@pytest.fixture
def outsider_editor(db, other_organization):
    """An organisation editor of another organisation."""
    return make_user(
        Role.ORGANIZATION_EDITOR,
        email="other-editor@personas.test",
        organization=other_organization,
    )


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Tests that use the database find the shipped reference data, even after a flush."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        ensure_reference_data()
