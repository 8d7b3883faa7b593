"""A list's reachable addresses as CSV files that the common mailing services import."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from observatoire.core.exports import rows_to_csv
from observatoire.core.text import spreadsheet_safe

from .selectors import Recipient


@dataclass(frozen=True)
class ExportFormat:
    slug: str
    label: str
    delimiter: str
    headers: tuple[str, ...]


FORMATS = {
    "mailchimp": ExportFormat(
        "mailchimp", _("Mailchimp"), ",", ("Email Address", "First Name", "Last Name")
    ),
    "brevo": ExportFormat("brevo", _("Brevo"), ";", ("EMAIL", "PRENOM", "NOM")),
    "excel": ExportFormat(
        "excel",
        _("Spreadsheet (Excel, LibreOffice)"),
        ";",
        ("Adresse e-mail", "Prénom", "Nom", "Structure"),
    ),
}


def export_csv(*, file_format: str, recipients: Iterable[Recipient]) -> bytes:
    """The file in `file_format` (one of FORMATS): UTF-8, with a BOM for spreadsheets only."""
    export = FORMATS[file_format]
    if file_format == "excel":
        return rows_to_csv(
            export.headers,
            ([r.address, r.first_name, r.last_name, r.organization_name] for r in recipients),
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=export.delimiter, lineterminator="\n")
    writer.writerow(export.headers)
    for r in recipients:
        writer.writerow([r.address, spreadsheet_safe(r.first_name), spreadsheet_safe(r.last_name)])
    return buffer.getvalue().encode("utf-8")
