"""The tabs of a project stay within a fixed number of queries, however full the project is."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from observatoire.core.testing import make_organization, make_person
from observatoire.organizations.models import Affiliation
from observatoire.projects.models import (
    BodyMember,
    Decision,
    ExpectedResult,
    GovernanceBody,
    Indicator,
    IndicatorValue,
    Objective,
    ProjectPartner,
    ProjectUpdate,
    Stakeholder,
)

pytestmark = pytest.mark.django_db

TABS = ["detail", "partners", "checklist", "stakeholders", "governance", "results", "news"]


def _fill(project, size: int) -> None:
    for number in range(size):
        organization = make_organization(f"Partenaire {project.pk}-{size}-{number}")
        person = make_person("Awa", f"Traoré {size}-{number}")
        Affiliation.objects.create(person=person, organization=organization)
        partner = ProjectPartner.objects.create(
            project=project, organization=organization, role=ProjectPartner.Role.PARTNER
        )
        partner.contacts.add(person)
        Stakeholder.objects.create(
            project=project, organization=organization, influence=3, interest=2, stance="neutral"
        )
        body = GovernanceBody.objects.create(project=project, kind="technical", name=f"CT {number}")
        BodyMember.objects.create(body=body, person=person, organization=organization)
        Decision.objects.create(
            project=project, body=body, date=datetime.date(2026, 1, 1), text="D"
        )
        objective = Objective.objects.create(project=project, level="specific", title=f"O{number}")
        result = ExpectedResult.objects.create(objective=objective, title="R")
        indicator = Indicator.objects.create(result=result, name="I")
        IndicatorValue.objects.create(
            indicator=indicator,
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
            value=Decimal("1"),
        )
        ProjectUpdate.objects.create(
            project=project, date=datetime.date(2026, 1, 1), title="N", text="T"
        )


def _counts(client, project) -> dict[str, int]:
    counts = {}
    for tab in TABS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"projects:{tab}", args=[project.pk])).status_code == 200
        counts[tab] = len(queries)
    return counts


def test_the_tabs_do_not_grow_with_partners_stakeholders_and_results(client, staff, project):
    client.force_login(staff)
    _fill(project, 2)
    small = _counts(client, project)
    _fill(project, 8)
    large = _counts(client, project)
    for tab in TABS:
        assert large[tab] <= small[tab], (tab, small[tab], large[tab])
        assert small[tab] <= 30, (tab, small[tab])
