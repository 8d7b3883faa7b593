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


@pytest.fixture(scope="class")
def demo_seed() -> int:
    """The seed of the `demo_network` fixture; a module overrides it to test another network."""
    from observatoire.organizations.demo import SEED

    return SEED


@pytest.fixture(scope="class")
def demo_network(django_db_setup, django_db_blocker, demo_seed):
    """The demo network, loaded once per test process and installed for a class or a function.

    Each test still runs in its own transaction, rolled back after it. See
    observatoire/organizations/testing.py.
    """
    from observatoire.organizations.testing import demo_network_installed

    with django_db_blocker.unblock(), demo_network_installed(seed=demo_seed) as demo:
        yield demo
