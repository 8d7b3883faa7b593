import io

import pytest

from observatoire.imports import reading

from .helpers import ORGANIZATION_ROWS, csv_bytes, xlsx_bytes


def _read(data: bytes):
    file = io.BytesIO(data)
    info = reading.detect(file)
    return info, list(reading.iter_rows(file, info))


@pytest.mark.parametrize(
    ("encoding", "bom", "delimiter", "expected"),
    [
        ("cp1252", False, ";", "cp1252"),
        ("utf-8", False, ";", "utf-8"),
        ("utf-8", True, ";", "utf-8-sig"),
        ("utf-8", False, ",", "utf-8"),
    ],
)
def test_csv_encodings_and_separators(encoding, bom, delimiter, expected):
    info, rows = _read(
        csv_bytes(ORGANIZATION_ROWS, encoding=encoding, bom=bom, delimiter=delimiter)
    )
    assert (info.file_format, info.encoding, info.delimiter) == ("csv", expected, delimiter)
    assert rows[0][0] == "Raison sociale"
    assert rows[1][0] == "Solidarité Gironde Sénégal"


def test_xlsx_is_told_by_content_not_name():
    info, rows = _read(xlsx_bytes([["Nom", "Ville"], ["Eau Vive", "Niort"], [None, None]]))
    assert info.file_format == "xlsx"
    assert rows == [["Nom", "Ville"], ["Eau Vive", "Niort"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"\r\n\r\n", "vide"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "XLS"),
        (b"%PDF-1.4\x00\x01\x02", "ni un CSV ni un XLSX"),
        (b"PK\x03\x04garbage", "zip"),
    ],
)
def test_files_that_are_not_spreadsheets(data, message):
    with pytest.raises(reading.ReadError, match=message):
        reading.detect(io.BytesIO(data))


def test_a_zip_that_is_not_a_workbook():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.txt", "hello")
    with pytest.raises(reading.ReadError, match="pas un classeur"):
        reading.detect(io.BytesIO(buffer.getvalue()))


def test_encoding_changing_along_the_way_is_reported():
    data = ("Nom;Ville\r\n" + "Eau;Niort\r\n" * 10000).encode() + "Sénégal;x\r\n".encode("cp1252")
    file = io.BytesIO(data)
    info = reading.detect(file)
    assert info.encoding == "utf-8"
    with pytest.raises(reading.ReadError, match="encodage"):
        list(reading.iter_rows(file, info))


def test_repeated_header_is_refused():
    file = io.BytesIO(csv_bytes([["Nom", "Nom"], ["a", "b"]]))
    with pytest.raises(reading.ReadError, match="deux fois"):
        reading.read_headers(file, reading.detect(file))
