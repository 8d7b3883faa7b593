"""A report as the funder receives it: a PDF (WeasyPrint) and a workbook (openpyxl)."""

import datetime
import io
import logging
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from observatoire.core.text import spreadsheet_safe

from .models import Report

MONEY_FORMAT = '#,##0.00 "€"'


def report_pdf(
    report: Report, figures: dict, number: int, *, produced_on: datetime.date | None = None
) -> bytes:
    # WeasyPrint reports each step at INFO level: not worth a line in the server's log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    html = render_to_string(
        "finance/documents/report.html",
        {
            "network_name": settings.NETWORK_NAME,
            "report": report,
            "project": report.project,
            "number": number,
            "produced_on": produced_on or timezone.localdate(),
            "statement": figures["statement"],
            "indicators": figures["indicators"],
        },
    )
    return HTML(string=html).write_pdf()


def _text(value) -> str:
    return spreadsheet_safe(str(value or ""))


def _money(value) -> Decimal:
    return Decimal(value or 0)


def report_xlsx(report: Report, figures: dict, number: int) -> bytes:
    statement = figures["statement"]
    workbook = Workbook()
    bold = Font(bold=True)

    summary = workbook.active
    summary.title = _("Report")[:31]
    for row in (
        (_("Project"), _text(report.project.title)),
        (_("Report"), _text(report.title)),
        (_("Version"), number),
        (_("Period from"), statement["period_start"]),
        (_("Period to"), statement["period_end"]),
        (_("For the funder"), _text(report.funder or "")),
        (_("Budget version"), _text(statement["budget_version"])),
        (_("Activities done"), _text(report.activities)),
        (_("Difficulties and adjustments"), _text(report.difficulties)),
        (_("Next steps"), _text(report.next_steps)),
    ):
        summary.append(list(row))
    summary.column_dimensions["A"].width = 30
    summary.column_dimensions["B"].width = 80
    for cell in summary["A"]:
        cell.font = bold
    for cell in (summary["B4"], summary["B5"]):
        cell.number_format = "DD/MM/YYYY"

    def sheet(title, headers, rows, money_columns):
        ws = workbook.create_sheet(title=title[:31])
        ws.append(headers)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        for index, header in enumerate(headers):
            letter = ws.cell(row=1, column=index + 1).column_letter
            ws.column_dimensions[letter].width = max(14, min(50, len(str(header)) + 4))
            if index in money_columns:
                for cell in ws[letter][1:]:
                    cell.number_format = MONEY_FORMAT
        ws.freeze_panes = "A2"
        return ws

    lines = sheet(
        _("By budget line"),
        [
            _("Budget line"),
            _("Category"),
            _("Planned (EUR)"),
            _("Spent in the period (EUR)"),
            _("Spent to date (EUR)"),
        ],
        [
            [
                _text(r["line"]),
                _text(r["category"]),
                _money(r["planned"]),
                _money(r["actual"]),
                _money(r["cumulative"]),
            ]
            for r in statement["lines"]
        ]
        + [
            [
                _("Total"),
                "",
                _money(statement["planned_total"]),
                _money(statement["actual_total"]),
                _money(statement["cumulative_total"]),
            ]
        ],
        {2, 3, 4},
    )
    for cell in lines[lines.max_row]:
        cell.font = bold
    funders = sheet(
        _("By funder"),
        [
            _("Funder"),
            _("Granted (EUR)"),
            _("Received in the period (EUR)"),
            _("Received to date (EUR)"),
        ],
        [
            [
                _text(r["funder"]),
                _money(r["granted"]),
                _money(r["received"]),
                _money(r["cumulative"]),
            ]
            for r in statement["funders"]
        ]
        + [
            [
                _("Total"),
                _money(statement["granted_total"]),
                _money(statement["received_total"]),
                _money(statement["received_cumulative"]),
            ]
        ],
        {1, 2, 3},
    )
    for cell in funders[funders.max_row]:
        cell.font = bold
    sheet(
        _("Indicators"),
        [
            _("Indicator"),
            _("Unit"),
            _("Baseline"),
            _("Target"),
            _("Value"),
            _("Period"),
            _("Comment"),
        ],
        [
            [
                _text(i["indicator"]),
                _text(i["unit"]),
                i["baseline"],
                i["target"],
                i["value"],
                i["period"],
                _text(i["comment"]),
            ]
            for i in figures["indicators"]
        ],
        set(),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
