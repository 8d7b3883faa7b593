import pytest

from observatoire.core.testing import ensure_reference_data, make_organization, make_user


@pytest.fixture
def organization(db):
    ensure_reference_data()
    return make_organization(status="qualified", description="Puits et latrines au Burkina Faso.")


@pytest.fixture
def editor(organization):
    return make_user(
        "organization_editor", email="paul.girard@example.org", organization=organization
    )


@pytest.fixture
def staff(db):
    return make_user("staff", email="camille.roux@example.org")
