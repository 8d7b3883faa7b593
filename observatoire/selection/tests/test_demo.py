from decimal import Decimal

import pytest

from observatoire.core.testing import make_organization
from observatoire.projects.models import Project, ProjectPartner

from ..demo import load_demo
from ..models import Assignment, Committee, ConflictDeclaration, Reviewer
from ..selectors import granted_total, laureates
from ..testing import make_application, make_call

pytestmark = pytest.mark.django_db


def test_demo_skips_without_the_call():
    load_demo(seed=1)
    assert not Reviewer.objects.exists()


def test_demo_runs_the_whole_selection(staff, administrator):
    from observatoire.accounts.models import Role
    from observatoire.core.testing import make_user

    make_user(Role.STAFF, email="second@personas.test")
    call = make_call("Incubateur ODD 2026", budget=Decimal(90000))
    applications = [
        make_application(call, title=f"Projet {n}", amount=Decimal(8000 + 500 * n))
        for n in range(25)
    ]
    partner = make_organization("Cités Unies Limousin")
    project = Project.objects.create(title="Eau potable à Kaya", slug="eau-kaya")
    ProjectPartner.objects.create(
        project=project, organization=applications[3].organization, role="lead"
    )
    ProjectPartner.objects.create(project=project, organization=partner, role="partner")

    load_demo(seed=7)

    assert Reviewer.objects.filter(call=call).count() == 6
    assert Committee.objects.filter(call=call).count() == 2
    stage_one = Assignment.objects.active().filter(stage__number=1)
    assert stage_one.filter(review__submitted_at__isnull=False).count() == stage_one.count() > 25
    assert Assignment.objects.filter(conflict_flag=True).exclude(override_reason="").count() == 1
    assert ConflictDeclaration.objects.count() == 1
    assert call.applications.filter(stage_reached=2).count() == 16
    winners = list(laureates(call=call))
    assert len(winners) == 9
    assert all(w.amount_granted <= w.amount_requested for w in winners)
    assert granted_total(call=call) <= call.budget
    # Loading again adds nothing.
    load_demo(seed=7)
    assert Reviewer.objects.filter(call=call).count() == 6
