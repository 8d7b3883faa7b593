import pytest

from observatoire.core.testing import make_organization, make_person
from observatoire.organizations.models import Affiliation, OrganizationRelation
from observatoire.projects.models import Project, ProjectPartner

from ..conflicts import conflicts_between
from ..models import Reviewer
from ..testing import make_application, make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    return make_call()


@pytest.fixture
def applicant():
    return make_organization("Association Eau Vive Charente")


@pytest.fixture
def application(call, applicant):
    return make_application(call, applicant, title="Puits au Sahel")


def outside_reviewer(call, organization=None, **fields):
    return Reviewer.objects.create(
        call=call, name="Claire Martin", email="claire@jury.test", organization=organization,
        **fields,
    )  # fmt: skip


def test_no_link_no_conflict(call, application):
    reviewer = outside_reviewer(call, make_organization("Université de Poitiers"))
    assert conflicts_between(reviewer, application) == []


def test_reviewer_of_the_applicant_organisation(call, application, applicant):
    reasons = conflicts_between(outside_reviewer(call, applicant), application)
    assert reasons == [
        "La personne du jury appartient à la structure candidate « Association Eau Vive Charente »."
    ]


def test_current_affiliation_found_by_email(call, application, applicant):
    person = make_person("Claire", "Martin", email="claire@jury.test")
    Affiliation.objects.create(person=person, organization=applicant, role="Trésorière")
    assert len(conflicts_between(outside_reviewer(call), application)) == 1


def test_past_affiliation_is_no_conflict(call, application, applicant):
    import datetime

    person = make_person("Claire", "Martin", email="claire@jury.test")
    Affiliation.objects.create(
        person=person, organization=applicant, end_date=datetime.date(2020, 1, 1)
    )
    assert conflicts_between(outside_reviewer(call), application) == []


def test_partner_on_a_project_of_the_applicant(call, application, applicant):
    partner = make_organization("Cités Unies Limousin")
    project = Project.objects.create(title="Eau potable à Kaya", slug="eau-kaya")
    ProjectPartner.objects.create(project=project, organization=applicant, role="lead")
    ProjectPartner.objects.create(project=project, organization=partner, role="funder")
    reasons = conflicts_between(outside_reviewer(call, partner), application)
    assert reasons == [
        "« Cités Unies Limousin » est partenaire de la structure candidate sur le projet "
        "« Eau potable à Kaya »."
    ]


def test_same_partnership_either_side(call):
    from observatoire.partnerships.tests.factories import (
        make_foreign_city,
        make_french_city,
        make_partnership,
    )

    french, foreign = make_french_city(), make_foreign_city()
    make_partnership(french, foreign)
    application = make_application(call, french, title="Coopération Oujda")
    reasons = conflicts_between(outside_reviewer(call, foreign), application)
    assert len(reasons) == 1 and "partenariat" in reasons[0]
    other_call = make_call("Autre appel")
    application = make_application(other_call, foreign, title="Coopération Châtellerault")
    assert len(conflicts_between(outside_reviewer(other_call, french), application)) == 1


@pytest.mark.parametrize("reviewer_is_source", [True, False])
def test_relation_either_direction(call, application, applicant, reviewer_is_source):
    federation = make_organization("Fédération des MJC")
    source, target = (federation, applicant) if reviewer_is_source else (applicant, federation)
    OrganizationRelation.objects.create(source=source, target=target, kind="member_of")
    reasons = conflicts_between(outside_reviewer(call, federation), application)
    assert len(reasons) == 1 and "« Fédération des MJC » est liée" in reasons[0]


def test_staff_reviewer_organisation_from_their_person(call, application, applicant, staff):
    person = make_person("Staff", "Member", email=staff.email)
    Affiliation.objects.create(person=person, organization=applicant)
    reviewer = Reviewer.objects.create(call=call, user=staff)
    assert len(conflicts_between(reviewer, application)) == 1
