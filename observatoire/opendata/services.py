"""Writing the open-data files, and publishing them as a whole.

`open_data_write` writes the files of the chosen formats into a directory (the command's
`--output`). `open_data_publish` writes every format into a new release directory, then swaps the
`current` link to it in one `rename`, so a download reads either the old set or the new one and
never a half-written file; the previous release is kept until the next one, for downloads still
running.
"""

import datetime
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import iati, writers
from .datasets import DATASETS, Dataset

FORMATS = ("csv", "xlsx", "json", "geojson", "iati", "datapackage")
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
MANIFEST = "manifest.json"
CURRENT = "current"
RELEASES = "releases"
KEPT_RELEASES = 2
WORKBOOK = "donnees-ouvertes.xlsx"
IATI_FILE = "projects-iati.xml"
DATAPACKAGE = "datapackage.json"
GEOJSON_FILES = {
    "organisations": "organisations.geojson",
    "projects": "projects.geojson",
    "partnerships": "partnerships.geojson",
}


@dataclass
class PublishedFile:
    name: str
    format: str
    dataset: str  # a dataset name, or "" for a file holding several
    rows: int
    size: int = 0


@dataclass
class Manifest:
    generated_at: str  # ISO 8601, UTC
    files: list[PublishedFile]

    @property
    def generated(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.generated_at)


def _write_csvs(directory: Path) -> list[PublishedFile]:
    return [
        PublishedFile(
            f"{d.name}.csv", "csv", d.name, writers.write_csv(d, directory / f"{d.name}.csv")
        )
        for d in DATASETS
    ]


def _field(column) -> dict:
    field = {"name": column.name, "type": column.type, "description": str(column.description)}
    if column.required:
        field["constraints"] = {"required": True}
    if column.is_list:
        field["description"] += " " + gettext("(values separated by “%(separator)s”)") % {
            "separator": writers.LIST_SEPARATOR
        }
    return field


def table_schema(dataset: Dataset) -> dict:
    """The Table Schema of a dataset's CSV file (types, required cells, keys)."""
    schema = {
        "fields": [_field(column) for column in dataset.columns],
        "primaryKey": dataset.primary_key,
        "missingValues": [""],
    }
    if dataset.foreign_keys:
        schema["foreignKeys"] = dataset.foreign_keys
    return schema


def datapackage_descriptor(*, generated: datetime.datetime) -> dict:
    """The Frictionless Data Package describing the CSV files."""
    with translation.override("fr"):
        return {
            "profile": "tabular-data-package",
            "name": "observatoire-donnees-ouvertes",
            "title": f"{settings.NETWORK_NAME} — données ouvertes",
            "licenses": [LICENCE],
            "created": generated.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "homepage": settings.SITE_URL.rstrip("/") + "/donnees-ouvertes/",
            "resources": [
                {
                    "name": dataset.name,
                    "title": str(dataset.title),
                    "description": str(dataset.description),
                    "path": f"{dataset.name}.csv",
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "dialect": {"delimiter": ",", "header": True},
                    "licenses": [LICENCE],
                    "schema": table_schema(dataset),
                }
                for dataset in DATASETS
            ],
        }


def open_data_write(*, directory: Path, formats: list[str]) -> Manifest:
    """Write the files of `formats` into `directory` (which must exist) and their manifest."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"Unknown formats: {', '.join(sorted(unknown))}")
    generated = timezone.now()
    files: list[PublishedFile] = []
    if "csv" in formats or "datapackage" in formats:
        files += _write_csvs(directory)
    if "datapackage" in formats:
        descriptor = datapackage_descriptor(generated=generated)
        (directory / DATAPACKAGE).write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        files.append(PublishedFile(DATAPACKAGE, "datapackage", "", len(DATASETS)))
    if "json" in formats:
        files += [
            PublishedFile(
                f"{d.name}.json",
                "json",
                d.name,
                writers.write_json(d, directory / f"{d.name}.json"),
            )
            for d in DATASETS
        ]
    if "xlsx" in formats:
        files.append(
            PublishedFile(WORKBOOK, "xlsx", "", writers.write_xlsx(DATASETS, directory / WORKBOOK))
        )
    if "geojson" in formats:
        files += _write_geojson(directory)
    if "iati" in formats:
        files.append(
            PublishedFile(IATI_FILE, "iati", "projects", iati.write_iati(directory / IATI_FILE))
        )
    for entry in files:
        entry.size = (directory / entry.name).stat().st_size
    manifest = Manifest(generated_at=generated.astimezone(datetime.UTC).isoformat(), files=files)
    (directory / MANIFEST).write_text(
        json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return manifest


def _write_geojson(directory: Path) -> list[PublishedFile]:
    from .datasets import organization_rows, partnership_rows, project_rows_with_places

    sources = {
        "organisations": writers.organization_features(organization_rows()),
        "projects": writers.project_features(project_rows_with_places()),
        "partnerships": writers.partnership_features(partnership_rows()),
    }
    return [
        PublishedFile(
            name, "geojson", dataset, writers.write_geojson(sources[dataset], directory / name)
        )
        for dataset, name in GEOJSON_FILES.items()
    ]


def _root(root: Path | None) -> Path:
    return Path(root or settings.OPEN_DATA_ROOT)


def open_data_publish(*, root: Path | None = None) -> Manifest:
    """Write every format into a new release, then make it the current one atomically."""
    root = _root(root)
    releases = root / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    staging = releases / f".{stamp}.tmp"
    staging.mkdir()
    try:
        manifest = open_data_write(directory=staging, formats=list(FORMATS))
        release = releases / stamp
        staging.rename(release)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    link = root / f".{CURRENT}.{stamp}"
    link.symlink_to(Path(RELEASES) / stamp, target_is_directory=True)
    os.replace(link, root / CURRENT)  # rename(2): readers see the old target or the new one
    for old in sorted(p for p in releases.iterdir() if not p.name.startswith("."))[:-KEPT_RELEASES]:
        shutil.rmtree(old, ignore_errors=True)
    return manifest


def published_manifest(*, root: Path | None = None) -> Manifest | None:
    """What the current release holds, or None when no file was generated yet."""
    path = _root(root) / CURRENT / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    return Manifest(
        generated_at=data["generated_at"], files=[PublishedFile(**f) for f in data["files"]]
    )


def published_file(name: str, *, root: Path | None = None) -> Path | None:
    """The path of the published file `name`; None unless the current manifest lists it."""
    manifest = published_manifest(root=root)
    if manifest is None or name not in {entry.name for entry in manifest.files}:
        return None
    return (_root(root) / CURRENT).resolve() / name
