"""Files for the import tests, written as Excel in French writes them."""

import io

from openpyxl import Workbook


def csv_bytes(rows: list[list[str]], *, encoding="cp1252", delimiter=";", bom=False) -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ORGANIZATION_ROWS = [
    ["Raison sociale", "Sigle", "SIRET", "Code postal", "Ville", "Courriel", "Téléphone"],
    ["Solidarité Gironde Sénégal", "SGS", "", "33000", "Bordeaux", "contact@sgs.fr",
     "05 56 00 00 00"],
    ["Les Amis d'Antsirabe", "", "", "86000", "Poitiers", "", ""],
]  # fmt: skip
