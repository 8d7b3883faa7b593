"""The file formats of the open data: each writer streams a dataset's rows to a file.

CSV: plain UTF-8 (no byte-order mark), comma, a header row, lists joined with `;`, dates in
ISO 8601, datetimes in UTC (`2026-03-05T09:30:00Z`), booleans `true`/`false`, empty cells for
missing values. JSON: an array of objects, lists as arrays. XLSX: one sheet per dataset.
"""

import csv
import datetime
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from observatoire.core.exports import _cell as spreadsheet_cell

from .datasets import LIST_SEPARATOR, Dataset


def _scalar(value) -> str:
    """A value as CSV and Table Schema read it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(_scalar(item) for item in value)
    return str(value)


def json_default(value):
    if isinstance(value, datetime.datetime):
        return _scalar(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def write_csv(dataset: Dataset, path: Path, rows: Iterable[dict] | None = None) -> int:
    """Write the dataset as CSV; return the number of rows."""
    names = [column.name for column in dataset.columns]
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for row in dataset.rows() if rows is None else rows:
            writer.writerow([_scalar(row.get(name)) for name in names])
            count += 1
    return count


def write_json(dataset: Dataset, path: Path) -> int:
    """Write the dataset as a JSON array, one object a line, without holding it in memory."""
    names = [column.name for column in dataset.columns]
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for row in dataset.rows():
            handle.write(",\n" if count else "\n")
            record = {name: row.get(name) for name in names}
            handle.write(json.dumps(record, ensure_ascii=False, default=json_default))
            count += 1
        handle.write("\n]\n")
    return count


def write_xlsx(datasets: list[Dataset], path: Path) -> int:
    """One sheet per dataset in a write-only workbook (rows go to disk as they come)."""
    workbook = Workbook(write_only=True)
    count = 0
    for dataset in datasets:
        sheet = workbook.create_sheet(title=dataset.name[:31])
        names = [column.name for column in dataset.columns]
        sheet.append(names)
        for row in dataset.rows():
            sheet.append(
                [
                    spreadsheet_cell(_scalar(value) if isinstance(value, list) else value)
                    for value in (row.get(name) for name in names)
                ]
            )
            count += 1
    workbook.save(path)
    return count


def _feature(geometry: dict, properties: dict) -> str:
    return json.dumps(
        {"type": "Feature", "geometry": geometry, "properties": properties},
        ensure_ascii=False,
        default=json_default,
    )


def write_geojson(features: Iterator[str], path: Path) -> int:
    """A FeatureCollection from features already serialised, streamed one a line."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"type": "FeatureCollection", "features": [')
        for feature in features:
            handle.write(",\n" if count else "\n")
            handle.write(feature)
            count += 1
        handle.write("\n]}\n")
    return count


def organization_features(rows: Iterable[dict]) -> Iterator[str]:
    """Organisations at their seat; those without coordinates are left out."""
    for row in rows:
        if row["latitude"] is None or row["longitude"] is None:
            continue
        geometry = {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
        properties = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
        yield _feature(geometry, properties)


def project_features(projects: Iterable[tuple[object, dict, list[dict]]]) -> Iterator[str]:
    """One point per place of a project, with the project's main fields."""
    for _project, project, places in projects:
        for place in places:
            if place["latitude"] is None or place["longitude"] is None:
                continue
            geometry = {"type": "Point", "coordinates": [place["longitude"], place["latitude"]]}
            properties = {
                "project_id": project["id"],
                "title": project["title"],
                "phase": project["phase"],
                "place": place["name"],
                "country": place["country"],
                "sdgs": project["sdgs"],
                "url": project["url"],
            }
            yield _feature(geometry, properties)


def partnership_features(rows: Iterable[dict]) -> Iterator[str]:
    """A line from the French authority to its partner abroad, where both are placed."""
    axes = ("french_longitude", "french_latitude", "foreign_longitude", "foreign_latitude")
    for row in rows:
        if any(row[axis] is None for axis in axes):
            continue
        geometry = {
            "type": "LineString",
            "coordinates": [
                [row["french_longitude"], row["french_latitude"]],
                [row["foreign_longitude"], row["foreign_latitude"]],
            ],
        }
        properties = {k: v for k, v in row.items() if k not in axes}
        yield _feature(geometry, properties)
