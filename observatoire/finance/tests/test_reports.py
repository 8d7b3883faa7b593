"""Reports: totals equal to the transactions, frozen versions with PDF and XLSX, closed periods,
and the reminders of reports due."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from observatoire.core.testing import make_person
from observatoire.finance import services
from observatoire.finance.models import FunderKind, Report, ReportingObligation, Transaction
from observatoire.projects.models import ExpectedResult, Indicator, IndicatorValue, Objective

from .factories import lead_of, make_budget, make_ministry, make_project

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = make_project()
    lines = make_budget(project)
    ministry = make_ministry()
    services.funding_save(
        project=project,
        funder=ministry,
        funder_kind=FunderKind.MINISTRY,
        requested=D("50000"),
        granted=D("50000"),
    )
    record = services.transaction_record
    lead = lead_of(project)
    record(
        project=project,
        kind="1",
        date=datetime.date(2024, 2, 1),
        amount=D("25000"),
        funder=ministry,
    )
    record(
        project=project,
        kind="1",
        date=datetime.date(2024, 9, 1),
        amount=D("15000"),
        funder=ministry,
    )
    record(
        project=project,
        kind="4",
        date=datetime.date(2024, 3, 10),
        amount=D("1234.56"),
        budget_line=lines["Missions"],
        partner=lead,
    )
    record(
        project=project,
        kind="3",
        date=datetime.date(2024, 5, 10),
        amount=D("655957"),
        currency="XOF",
        rate_to_eur=D("0.00152449"),
        budget_line=lines["Formation des agents"],
    )
    record(project=project, kind="4", date=datetime.date(2024, 6, 30), amount=D("99.99"))
    record(
        project=project,
        kind="4",
        date=datetime.date(2024, 8, 1),
        amount=D("5000"),
        budget_line=lines["Coordination"],
    )
    record(
        project=project,
        kind="2",
        date=datetime.date(2024, 4, 1),
        amount=D("7000"),
        budget_line=lines["Bacs de collecte"],
    )
    objective = Objective.objects.create(project=project, level="specific", title="Collecte")
    result = ExpectedResult.objects.create(objective=objective, title="Bacs installés")
    indicator = Indicator.objects.create(
        result=result, name="Bacs en service", unit="bacs", baseline=D("0"), target=D("120")
    )
    IndicatorValue.objects.create(
        indicator=indicator,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
        value=D("48"),
    )
    return project


def test_the_statement_totals_equal_the_transactions(project):
    start, end = datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)
    statement = services.financial_statement(project, start, end)
    in_period = Transaction.objects.filter(project=project, date__range=(start, end))
    spent = sum(t.amount_eur for t in in_period if t.kind in ("3", "4"))
    received = sum(t.amount_eur for t in in_period if t.kind == "1")
    assert statement["actual_total"] == spent == D("1234.56") + D("1000.00") + D("99.99")
    assert statement["received_total"] == received == D("25000.00")
    assert statement["planned_total"] == D("100000.00")
    to_date = services.financial_statement(project, start, datetime.date(2024, 12, 31))
    assert to_date["cumulative_total"] == sum(
        t.amount_eur for t in Transaction.objects.filter(project=project, kind__in=("3", "4"))
    )
    assert to_date["received_cumulative"] == D("40000.00")
    unattached = next(r for r in statement["lines"] if r["planned"] == 0)
    assert unattached["actual"] == D("99.99")


def test_a_report_is_produced_in_numbered_versions_with_pdf_and_xlsx(project, staff):
    report = services.report_save(
        report=Report(
            project=project,
            title="Rapport intermédiaire 2024",
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 6, 30),
            funder=project.fundings.get().funder,
            activities="Trois ateliers à Dédougou",
        )
    )
    first = services.report_produce(report, staff)
    second = services.report_produce(report, staff)
    assert (first.number, second.number) == (1, 2)
    assert first.figures["statement"]["actual_total"] == "2334.55"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(second.pdf.read())).pages)
    assert "Rapport intermédiaire 2024" in text
    assert "Bacs en service" in text and "Dédougou" in text
    workbook = load_workbook(io.BytesIO(second.xlsx.read()))
    lines = workbook.worksheets[1]
    total_row = [cell.value for cell in lines[lines.max_row]]
    assert total_row[3] == D("2334.55") or float(total_row[3]) == pytest.approx(2334.55)
    funders = workbook.worksheets[2]
    assert float(funders[funders.max_row][2].value) == pytest.approx(25000)
    # Figures stay frozen when transactions change afterwards.
    Transaction.objects.filter(kind="4").delete()
    first.refresh_from_db()
    assert first.figures["statement"]["actual_total"] == "2334.55"


def test_a_closed_report_refuses_new_versions_and_overlapping_reports(project, staff):
    funder = project.fundings.get().funder
    report = services.report_save(
        report=Report(
            project=project,
            title="S1",
            funder=funder,
            period_start=datetime.date(2024, 1, 1),
            period_end=datetime.date(2024, 6, 30),
        )
    )
    services.report_close(report, staff)
    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED and report.versions.count() == 1
    with pytest.raises(ValidationError):
        services.report_produce(report, staff)
    with pytest.raises(ValidationError) as error:
        services.report_save(
            report=Report(
                project=project,
                title="S1 bis",
                funder=funder,
                period_start=datetime.date(2024, 6, 1),
                period_end=datetime.date(2024, 12, 31),
            )
        )
    assert "S1" in error.value.messages[0]
    # Another funder, or the next period, is fine.
    services.report_save(
        report=Report(
            project=project,
            title="S2",
            funder=funder,
            period_start=datetime.date(2024, 7, 1),
            period_end=datetime.date(2024, 12, 31),
        )
    )


def test_a_period_ending_before_it_starts_is_refused(project):
    with pytest.raises(ValidationError):
        services.report_save(
            report=Report(
                project=project,
                title="R",
                period_start=datetime.date(2024, 6, 1),
                period_end=datetime.date(2024, 1, 1),
            )
        )


def test_the_reminder_sweep_mails_once_before_and_once_when_late(
    project, staff, smtp_server, settings
):
    settings.REPORT_REMINDER_DAYS = 14
    project.coordinator = staff
    project.save()
    contact = make_person("Awa", "Ouédraogo", email="awa@bordeaux-metropole.test")
    lead_of(project).contacts.add(contact)
    application = services.application_create(
        project=project,
        funder=project.fundings.get().funder,
        funder_kind=FunderKind.MINISTRY,
        amount_requested=D("50000"),
    )
    obligation = services.obligation_add(
        application=application,
        kind=ReportingObligation.Kind.BOTH,
        title="Rapport final",
        due_on=datetime.date(2025, 3, 31),
    )
    services.obligation_add(
        application=application,
        kind="financial",
        title="Plus tard",
        due_on=datetime.date(2025, 12, 31),
    )
    assert services.obligation_reminders_send(today=datetime.date(2025, 3, 1)) == 0
    assert services.obligation_reminders_send(today=datetime.date(2025, 3, 20)) == 1
    assert services.obligation_reminders_send(today=datetime.date(2025, 3, 21)) == 0
    (message,) = smtp_server.messages
    assert set(message["To"].addresses[i].addr_spec for i in range(2)) == {
        staff.email,
        "awa@bordeaux-metropole.test",
    }
    assert "Rapport final" in message["Subject"]
    assert services.obligation_reminders_send(today=datetime.date(2025, 4, 2)) == 1
    assert services.obligation_reminders_send(today=datetime.date(2025, 4, 3)) == 0
    assert len(smtp_server.messages) == 2
    assert "retard" in smtp_server.messages[1]["Subject"].lower()
    services.obligation_mark_sent(obligation=obligation, sent_on=datetime.date(2025, 4, 5))
    obligation.refresh_from_db()
    assert len(obligation.reminded_at) == 2


def test_the_sweep_is_registered_with_the_clock():
    from observatoire.core import periodic

    assert "observatoire.finance.tasks.send_report_reminders" in [
        entry.name for entry in periodic.registered()
    ]


def test_the_reports_coming_for_a_work_view(project):
    application = services.application_create(
        project=project,
        funder=project.fundings.get().funder,
        funder_kind=FunderKind.MINISTRY,
        amount_requested=D("50000"),
    )
    for title, due in (("Late", "2025-03-01"), ("Soon", "2025-04-10"), ("Later", "2025-12-31")):
        services.obligation_add(
            application=application,
            kind="financial",
            title=title,
            due_on=datetime.date.fromisoformat(due),
        )
    coming = services.obligations_coming(
        projects=type(project).objects.filter(pk=project.pk), today=datetime.date(2025, 4, 1)
    )
    assert [o.title for o in coming] == ["Late", "Soon"]
