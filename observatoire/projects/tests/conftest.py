import pytest

from observatoire.accounts.models import Role
from observatoire.core.testing import make_organization, make_user
from observatoire.projects.models import Project, ProjectPartner
from observatoire.projects.services import project_save


@pytest.fixture
def project(db, organization):
    """A project led by `organization` (the editor's), in emergence, with its checklist."""
    return project_save(
        project=Project(title="Eau potable à Dédougou", summary="Des bornes-fontaines"),
        lead=organization,
    )


@pytest.fixture
def partner_organization(db):
    return make_organization("Commune de Dédougou", kind_slug="commune")


@pytest.fixture
def partner_editor(db, project, partner_organization):
    """An editor of an organisation that is a partner, not the lead, of `project`."""
    ProjectPartner.objects.create(
        project=project, organization=partner_organization, role=ProjectPartner.Role.PARTNER
    )
    return make_user(
        Role.ORGANIZATION_EDITOR,
        email="partner-editor@personas.test",
        organization=partner_organization,
    )
