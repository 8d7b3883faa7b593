"""Reading uploaded files as a stream of rows: CSV (UTF-8 or Windows-1252, `;` or `,`) and XLSX.

The format is told from the content, never from the name: an XLSX is a zip holding
`[Content_Types].xml`; a CSV decodes as text and holds no NUL byte. Rows are yielded one by one,
so a file of millions of rows is read with bounded memory.
"""

import codecs
import contextlib
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

SAMPLE_SIZE = 64 * 1024
# A cell longer than this is not a field of the register; csv refuses it cleanly.
csv.field_size_limit(1_000_000)


class ReadError(Exception):
    """A file that cannot be read: the message says why, in the user's language."""


@dataclass(frozen=True)
class FileInfo:
    file_format: str  # "csv" or "xlsx"
    encoding: str = ""  # "utf-8-sig", "utf-8" or "cp1252"
    delimiter: str = ""


def _decodes(sample: bytes, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        return False
    return True


def detect(file: IO[bytes]) -> FileInfo:
    """Tell the format, encoding and separator of a file from its first bytes."""
    file.seek(0)
    sample = file.read(SAMPLE_SIZE)
    file.seek(0)
    if not sample or not sample.strip(b"\xef\xbb\xbf \t\r\n"):
        raise ReadError(_("The file is empty."))
    if sample.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise ReadError(_("The file is a damaged zip archive, not a spreadsheet.")) from error
        finally:
            file.seek(0)
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise ReadError(_("The file is a zip archive but not an Excel workbook (XLSX)."))
        return FileInfo(file_format="xlsx")
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(
            _(
                "This is an old Excel file (XLS). Open it in your spreadsheet and save it as "
                "XLSX or CSV, then send it again."
            )
        )
    if b"\x00" in sample:
        raise ReadError(
            _(
                "The file is neither a CSV nor an XLSX file (it holds binary data). "
                "Save it from your spreadsheet as CSV or XLSX."
            )
        )
    if sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif _decodes(sample, "utf-8"):
        encoding = "utf-8"
    elif _decodes(sample, "cp1252"):
        encoding = "cp1252"
    else:
        raise ReadError(
            _("The file's characters are neither UTF-8 nor Windows-1252: save it as UTF-8 CSV.")
        )
    text = sample.decode(encoding, errors="ignore")
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    if first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        delimiter = "\t"
    return FileInfo(file_format="csv", encoding=encoding, delimiter=delimiter)


def _xlsx_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(file: IO[bytes], info: FileInfo) -> Iterator[list[str]]:
    text = io.TextIOWrapper(file, encoding=info.encoding, newline="")
    try:
        yield from csv.reader(text, delimiter=info.delimiter)
    except UnicodeDecodeError as error:
        raise ReadError(
            _(
                "The file changes encoding along the way (a character cannot be read near "
                "byte %(position)s): save it again as UTF-8 CSV."
            )
            % {"position": error.start}
        ) from error
    except csv.Error as error:
        raise ReadError(_("The CSV file is malformed: %(error)s") % {"error": error}) from error
    finally:
        # Leave the caller's file open; it may already be closed when a reader is dropped.
        with contextlib.suppress(ValueError):
            text.detach()


def _xlsx_rows(file: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on broken workbooks
        raise ReadError(_("The Excel workbook cannot be opened: it may be damaged.")) from error
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_xlsx_value(v) for v in row]
    finally:
        workbook.close()


def iter_rows(file: IO[bytes], info: FileInfo) -> Iterator[list[str]]:
    """Every row of the file, the header row first; cells stripped, blank rows left out."""
    file.seek(0)
    rows = _xlsx_rows(file) if info.file_format == "xlsx" else _csv_rows(file, info)
    for row in rows:
        cells = [cell.strip() for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield cells


def read_headers(file: IO[bytes], info: FileInfo) -> list[str]:
    """The header row; a ReadError when the file has none or repeats a column."""
    rows = iter_rows(file, info)
    headers = next(rows, None)
    if not headers:
        raise ReadError(_("The file is empty."))
    seen = set()
    for header in headers:
        if header and header in seen:
            raise ReadError(
                _("The column “%(column)s” appears twice in the first row.") % {"column": header}
            )
        seen.add(header)
    return headers
