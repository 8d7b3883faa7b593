"""CSV and XLSX downloads of tabular data, safe to open in a spreadsheet."""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from .text import spreadsheet_safe

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.replace(tzinfo=None)
    if isinstance(value, (datetime.date, int, float, Decimal)):
        return value
    return spreadsheet_safe(str(value))


def rows_to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark and `;` separators: what French spreadsheets open directly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([spreadsheet_safe(str(h)) for h in headers])
    for row in rows:
        writer.writerow(
            [
                v.isoformat(sep=" ") if isinstance(v, datetime.datetime) else v
                for v in map(_cell, row)
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def rows_to_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence], *, title: str = "Export"
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    widths = [max(10, min(50, len(str(h)) + 2)) for h in headers]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([str(h) for h in headers])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    *, headers: Sequence[str], rows: Iterable[Sequence], file_format: str, filename: str
) -> HttpResponse:
    """An attachment in `file_format` (csv or xlsx) named `filename` plus the date."""
    stamp = timezone.localdate().isoformat()
    if file_format == "xlsx":
        content, content_type = rows_to_xlsx(headers, rows, title=filename), XLSX_CONTENT_TYPE
    else:
        content, content_type = rows_to_csv(headers, rows), "text/csv; charset=utf-8"
        file_format = "csv"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{file_format}"'
    return response
