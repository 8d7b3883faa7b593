import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from observatoire.calls.models import Application
from observatoire.core.testing import ensure_reference_data, make_organization, make_user
from observatoire.grants import services
from observatoire.grants.testing import make_application, make_call
from observatoire.groups.models import GroupMember
from observatoire.projects.models import ProjectPartner
from observatoire.referentials.models import SDG, Theme

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def grant():
    ensure_reference_data()
    application = make_application(make_call(), amount="12000")
    return services.grant_open(application=application)


def test_grant_opens_once_at_the_amount_granted(grant):
    again = services.grant_open(application=grant.application)
    assert again.pk == grant.pk
    assert grant.amount == Decimal("12000")


def test_only_a_laureate_has_a_follow_up():
    ensure_reference_data()
    application = make_application(make_call(), status=Application.Status.NOT_SELECTED)
    with pytest.raises(ValidationError):
        services.grant_open(application=application)


def test_payments_add_up_and_one_over_the_remainder_is_refused(grant):
    services.payment_record(grant=grant, paid_on=TODAY, amount=Decimal("5000"))
    services.payment_record(grant=grant, paid_on=TODAY, amount=Decimal("4000.50"))
    totals = services.grant_totals(grant)
    assert totals["paid"] == Decimal("9000.50")
    assert totals["remaining"] == Decimal("2999.50")
    with pytest.raises(ValidationError) as error:
        services.payment_record(grant=grant, paid_on=TODAY, amount=Decimal("3000"))
    assert "amount" in error.value.error_dict
    assert "2\u202f999,50 €" in error.value.messages[0]
    services.payment_record(grant=grant, paid_on=TODAY, amount=Decimal("2999.50"))
    assert services.grant_totals(grant)["remaining"] == 0


@pytest.mark.parametrize("amount", ["0", "-10"])
def test_a_payment_of_nothing_is_refused(grant, amount):
    with pytest.raises(ValidationError):
        services.payment_record(grant=grant, paid_on=TODAY, amount=Decimal(amount))
    assert not grant.payments.exists()


def test_the_schedule_never_exceeds_the_amount_granted(grant):
    services.instalment_add(grant=grant, expected_on=TODAY, amount=Decimal("6000"))
    services.instalment_add(
        grant=grant, expected_on=TODAY, amount=Decimal("4000"), condition="sur rapport"
    )
    with pytest.raises(ValidationError):
        services.instalment_add(grant=grant, expected_on=TODAY, amount=Decimal("2000.01"))
    assert services.grant_totals(grant)["scheduled"] == Decimal("10000")


def test_reminders_go_once_before_and_once_after_through_smtp(grant, smtp_server, settings):
    settings.REPORT_REMINDER_DAYS = 14
    report = services.report_due_add(grant=grant, kind="interim", due_on=TODAY)
    assert services.report_reminders_send(today=TODAY - datetime.timedelta(days=30)) == 0
    assert services.report_reminders_send(today=TODAY - datetime.timedelta(days=10)) == 1
    assert services.report_reminders_send(today=TODAY - datetime.timedelta(days=5)) == 0
    assert services.report_reminders_send(today=TODAY + datetime.timedelta(days=1)) == 1
    assert services.report_reminders_send(today=TODAY + datetime.timedelta(days=8)) == 0
    assert len(smtp_server.messages) == 2
    before, overdue = smtp_server.messages
    assert before["To"] == "contact@eau-vive.test"
    assert "01/06/2026" in before["Subject"]
    assert "en retard" in overdue["Subject"]
    report.refresh_from_db()
    assert [entry["stage"] for entry in report.reminded_at] == ["before", "overdue"]


def test_a_report_received_is_not_reminded(grant, smtp_server):
    report = services.report_due_add(grant=grant, kind="final", due_on=TODAY)
    services.report_receive(report=report, received_on=TODAY)
    assert services.report_reminders_send(today=TODAY + datetime.timedelta(days=3)) == 0
    assert smtp_server.messages == []


def test_the_project_is_created_once_led_by_the_applicant(grant):
    call = grant.application.call
    call.themes.set(Theme.objects.all()[:2])
    call.sdgs.set(SDG.objects.filter(number__in=[6, 13]))
    staff = make_user("staff")
    project, created = services.project_create(grant=grant, user=staff)
    assert created
    assert project.lead_partner == grant.application.organization
    assert project.title == grant.application.project_title
    assert set(project.sdgs.values_list("number", flat=True)) == {6, 13}
    lead = project.partners.get(role=ProjectPartner.Role.LEAD)
    assert [p.primary_email for p in lead.contacts.all()] == ["contact@eau-vive.test"]
    again, created_again = services.project_create(grant=grant, user=staff)
    assert (again.pk, created_again) == (project.pk, False)
    assert project.partners.count() == 1


def test_the_project_summary_comes_from_the_answers():
    ensure_reference_data()
    text = "Former vingt jeunes de Ouagadougou à la réparation de pompes solaires. " * 3
    application = make_application(
        make_call(), answers={"1": "Oui", "2": text, "3": ["Burkina Faso", "Togo"]}
    )
    grant = services.grant_open(application=application)
    project, _created = services.project_create(grant=grant)
    assert project.summary == text.strip()
    assert sorted(project.countries.values_list("iso2", flat=True)) == ["BF", "TG"]


def test_the_community_holds_each_laureate_once():
    ensure_reference_data()
    call = make_call()
    make_application(call)
    make_application(
        call,
        organization=make_organization("Comité de jumelage de Niort"),
        email="jumelage@niort.test",
    )
    make_application(
        call,
        organization=make_organization("Association non retenue"),
        email="autre@asso.test",
        status=Application.Status.NOT_SELECTED,
    )
    group, added = services.community_join(call=call)
    assert added == 4
    assert group.name == "Communauté des lauréats — Incubateur ODD 2026"
    assert GroupMember.objects.filter(group=group, organization__isnull=False).count() == 2
    group_again, added_again = services.community_join(call=call)
    assert (group_again.pk, added_again) == (group.pk, 0)
    assert GroupMember.objects.filter(group=group).count() == 4


def test_an_address_the_register_refuses_leaves_the_organisation_in_alone():
    ensure_reference_data()
    call = make_call()
    make_application(call, email="élodie.3@example.org")
    group, added = services.community_join(call=call)
    assert added == 1
    assert group.members.get().organization is not None
