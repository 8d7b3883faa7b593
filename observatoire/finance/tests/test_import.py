"""Importing transactions: every row saved, or none with each rejected row and its reason."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from observatoire.finance import services
from observatoire.finance.models import FunderKind, Transaction

from .factories import lead_of, make_budget, make_ministry, make_project

D = Decimal
pytestmark = pytest.mark.django_db

HEADER = "date;type;montant;devise;taux;ligne;partenaire;bailleur;description;référence\n"


@pytest.fixture
def project():
    project = make_project()
    make_budget(project)
    services.funding_save(
        project=project,
        funder=make_ministry(),
        funder_kind=FunderKind.MINISTRY,
        requested=D("50000"),
    )
    return project


def upload(text: str, encoding="utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


def test_a_good_csv_in_windows_1252_is_imported_whole(project):
    text = HEADER + (
        "15/03/2024;Dépense;1 234,56;EUR;;Missions;Bordeaux Métropole;;Billets Ouagadougou;F-12\n"
        "2024-04-01;4;655 957;XOF;0,00152449;Formation des agents;;;Atelier à Lomé;F-13\n"
        "02/05/2024;Fonds reçus;25000;;;;;Ministère de l'Europe et des Affaires étrangères "
        "(DAECT);Première tranche;V-1\n"
        "03/05/2024;3;500.00;EUR;;Bacs de collecte 2024;;;Bacs;\n"
    )
    outcome = services.transactions_import(project=project, file=upload(text, "cp1252"))
    assert outcome.ok, outcome.errors
    assert outcome.saved == 4
    xof = Transaction.objects.get(currency="XOF")
    assert xof.amount_eur == D("1000.00") and xof.budget_line.label == "Formation des agents"
    spent = Transaction.objects.get(reference="F-12")
    assert spent.amount == D("1234.56") and spent.partner == lead_of(project)
    received = Transaction.objects.get(kind=Transaction.Kind.INCOMING_FUNDS)
    assert received.funder.name.startswith("Ministère")
    assert services.funding_plan(project).received == D("25000.00")


def test_a_bad_file_saves_nothing_and_says_why_for_each_row(project):
    text = HEADER + (
        "15/03/2024;Dépense;100;EUR;;Missions;;;ok;\n"
        "31/02/2024;Dépense;100;EUR;;Missions;;;date impossible;\n"
        "15/03/2024;Dépense;100;EUR;;Ligne inconnue;;;ligne;\n"
        "15/03/2024;Dépense;100;XOF;;Missions;;;sans taux;\n"
        "15/03/2024;Virement;abc;EUR;;Missions;;;type et montant;\n"
        "15/03/2024;Dépense;100;EUR;;Missions;Mairie inconnue;;partenaire;\n"
    )
    outcome = services.transactions_import(project=project, file=upload(text))
    assert not outcome.ok
    assert outcome.saved == 0 and not Transaction.objects.exists()
    reasons = dict(outcome.errors)
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "date" in reasons[3]
    assert "Ligne inconnue" in reasons[4]
    assert "XOF" in reasons[5]
    assert "Virement" in reasons[6] and "abc" in reasons[6]
    assert "Mairie inconnue" in reasons[7]


def test_an_xlsx_file_is_read_by_its_content(project):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Date", "Type", "Montant", "Ligne"])
    sheet.append(["2024-06-01", "Expenditure", 300, "Coordination"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    outcome = services.transactions_import(project=project, file=buffer)
    assert outcome.ok and outcome.saved == 1


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02binary", b"PK\x03\x04broken", b"date;montant\n01/01/2024;5\n"],
)
def test_unreadable_files_are_refused_with_a_reason(project, content):
    outcome = services.transactions_import(project=project, file=io.BytesIO(content))
    assert outcome.file_error and not Transaction.objects.exists()


def test_the_import_page_lists_the_rejected_rows(client, project, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(staff)
    text = HEADER + "15/13/2024;Dépense;100;EUR;;Missions;;;mauvaise date;\n"
    response = client.post(
        reverse("finance:transactions", args=[project.pk]),
        {"action": "import", "import-file": SimpleUploadedFile("ops.csv", text.encode())},
    )
    assert response.status_code == 400
    assert "15/13/2024" in response.content.decode()


def test_a_utf8_csv_with_commas_and_a_byte_order_mark_is_imported(project):
    text = '\ufeffDate,Type,Montant,Ligne\n2024-06-01,Dépense,"1 200,50",Coordination\n'
    outcome = services.transactions_import(project=project, file=upload(text))
    assert outcome.ok, outcome.errors
    assert Transaction.objects.get().amount == D("1200.50")
