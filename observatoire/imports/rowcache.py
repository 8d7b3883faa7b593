"""The preview's checked rows, kept in a compact file so that the commit does not check them again.

The preview pass (`import_job_map`) cleans every row and computes its duplicate keys; for the
importers that can pack their values into plain tuples (organisations), it also writes what it
found to `DATA_DIR/imports/<job>.rows`: per row its number, packed values, errors, duplicate keys
and the earlier line it repeats, in zlib-compressed `marshal` chunks (plain data only, read back
as fast as it is written), ended by the number of rows. The commit then reads this file instead
of the upload: it writes what the preview checked and staff reviewed. What depends on the
register — which record a row's keys point to — is computed again at commit.

The file holds a stamp: the job's file and mapping, the active language (the rows' messages go
to the report), the importer's vocabularies. When any of them differs, or the file is missing,
the commit checks the rows again from the upload, as before; a file damaged after its start
fails the commit (rolled back) and is dropped, so that the next run checks the upload.
"""

import hashlib
import json
import marshal
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

VERSION = 2  # 2: organisations' rows carry their search text's folded parts
CHUNK_ROWS = 1000


def cache_path(job_id) -> Path:
    directory = Path(settings.DATA_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{job_id}.rows"


def cache_stamp(*, job, importer) -> str:
    """What the cached rows depend on, besides the register's records."""
    described = [
        VERSION,
        job.kind,
        sorted(job.mapping.items()),
        job.file.name,
        job.file.size,
        get_language(),
        importer.vocabulary_stamp(),
    ]
    return hashlib.sha256(json.dumps(described, default=str).encode()).hexdigest()


class RowCacheWriter:
    """Collects (row, duplicate_of) as the preview reads them; `close` makes the file visible."""

    def __init__(self, path: Path, stamp: str, importer):
        self.path = path
        self.importer = importer
        self.temporary = path.with_suffix(".rows-tmp")
        self.file = open(self.temporary, "wb")  # closed by close or discard
        marshal.dump(stamp, self.file)
        self.chunk: list[tuple] = []
        self.rows = 0

    def add(self, row, duplicate_of: int | None) -> None:
        self.chunk.append(
            (row.number, self.importer.pack(row.values), row.errors or None,
             tuple(row.keys), duplicate_of)
        )  # fmt: skip
        if len(self.chunk) >= CHUNK_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self.chunk:
            marshal.dump(zlib.compress(marshal.dumps(self.chunk), 1), self.file)
            self.rows += len(self.chunk)
        self.chunk = []

    def close(self) -> None:
        self._flush()
        marshal.dump(self.rows, self.file)  # the end mark: a file without it is damaged
        self.file.close()
        os.replace(self.temporary, self.path)

    def discard(self) -> None:
        self.file.close()
        self.temporary.unlink(missing_ok=True)


def cached_rows(path: Path, stamp: str, importer) -> Iterator[tuple] | None:
    """The preview's (row, duplicate_of) for the commit, or None when the file cannot serve."""
    try:
        file = open(path, "rb")  # closed by the generator
    except OSError:
        return None
    try:
        found = marshal.load(file)
    except (EOFError, ValueError, TypeError):
        found = None
    if found != stamp:
        file.close()
        return None
    return _read(file, importer)


class DamagedRows(Exception):
    """The kept rows cannot be read to the end: the commit fails and the file is dropped."""


def _read(file, importer) -> Iterator[tuple]:
    read = 0
    with file:
        while True:
            try:
                item = marshal.load(file)
                if isinstance(item, int):  # the end: the number of rows written
                    if item != read or file.read(1):
                        raise DamagedRows(file.name)
                    return
                chunk = marshal.loads(zlib.decompress(item))
            except (EOFError, ValueError, TypeError, zlib.error) as error:
                raise DamagedRows(file.name) from error
            read += len(chunk)
            for number, packed, errors, keys, duplicate_of in chunk:
                yield importer.unpack(number, packed, errors, keys), duplicate_of


def cache_discard(job_id) -> None:
    cache_path(job_id).unlink(missing_ok=True)
    matches_path(job_id).unlink(missing_ok=True)


# The preview's matches of a large file, found for all its rows at once by `import_job_map`:
# {"stamp": …, "rows": {line: [[pk, score, [reason codes]], …]}}, every row without errors
# listed. Plain JSON: a few megabytes at most (five matches a row at most).


def matches_path(job_id) -> Path:
    return cache_path(job_id).with_suffix(".matches")


def matches_write(path: Path, stamp: str, matches: dict[int, list]) -> None:
    # Two tasks (the columns mapped twice) never write one temporary file.
    temporary = path.with_suffix(f".matches-{os.getpid()}-tmp")
    temporary.write_text(json.dumps({"stamp": stamp, "rows": matches}))
    os.replace(temporary, path)


def matches_read(path: Path, stamp: str) -> dict[int, list] | None:
    """The kept matches by line number, or None when missing, unreadable or of another stamp."""
    try:
        found = json.loads(path.read_text())
        if found["stamp"] != stamp:
            return None
        return {int(line): matches for line, matches in found["rows"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
