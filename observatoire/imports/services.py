"""Writes of the imports: create a job from an upload, map its columns, run it (all or nothing)."""

import contextlib
import csv
import gc
import io
import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from observatoire.core.search import search_index_deferred
from observatoire.core.text import spreadsheet_safe
from observatoire.deduplication.matching import translate_reasons

from . import fastinsert, reading, rowcache
from .fields import guess_mapping, missing_required
from .importers import IMPORTERS, Importer, Outcome, PackedRows, Row, importer_for
from .keyindex import KeyIndex
from .models import ImportJob, SavedMapping

logger = logging.getLogger(__name__)
BATCH_SIZE = 1000
# Seconds between two writes of the progress file a running import leaves for its page.
PROGRESS_INTERVAL = 0.5
# Below this many rows, the commit asks the shared matcher about rows no identifier matched,
# as the preview does; above, only the duplicate keys decide (the matcher costs queries per row).
MATCHER_ROW_LIMIT = 5000
# From this many rows, a task started by the mapping step finds the matches of the whole file
# at once (`Importer.batch_matches`) and the preview pages read them, instead of asking the
# matcher about each row of each page shown. The batch pays from about 30 rows at 20,000
# organisations and 90 to 130 at 200,000 (bench/README.md, "Part 4, the import preview"); up
# to the most the task keeps in memory for it.
PREVIEW_BATCH_FROM = 200
PREVIEW_BATCH_MAX = 100_000
# SQLite page cache of the import's connection while it runs (KiB).
IMPORT_CACHE_KIB = 256 * 1024


class ImportFailed(Exception):
    """The import stopped and was rolled back: nothing of it was written."""


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


REPORT_ACTIONS = {"created": "créée", "updated": "mise à jour", "skipped": "ignorée"}


def _report_writer(stream: IO[str]):
    writer = csv.writer(stream, delimiter=";")
    writer.writerow(
        [_("Line"), _("Result"), _("Record of the register"), _("Identifier"), _("Reason")]
    )
    return writer


def rows_of(
    file: IO[bytes], info: reading.FileInfo, mapping: dict[str, str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {field: cell}) for every data row, as the mapping names the columns."""
    rows = reading.iter_rows(file, info)
    headers = next(rows, None) or []
    columns = [(headers.index(h), f) for h, f in mapping.items() if f and h in headers]
    for number, cells in enumerate(rows, start=2):
        length = len(cells)
        yield number, {f: (cells[i] if i < length else "") for i, f in columns}


def analyse_rows(importer, numbered_rows) -> Iterator[tuple[Row, int | None]]:
    """Each row cleaned, with the earlier row of the same file it repeats (or None)."""
    seen = KeyIndex()
    for number, raw in numbered_rows:
        row = importer.clean(number, raw)
        duplicate_of = None
        if not row.errors:
            duplicate_of = next(
                (line for key in row.keys if (line := seen.get(key)) is not None), None
            )
            if duplicate_of is None:
                for key in row.keys:
                    seen.setdefault(key, number)
        yield row, duplicate_of


def run_rows(
    *,
    kind: str,
    file: IO[bytes],
    info: reading.FileInfo,
    mapping: dict[str, str],
    decisions: dict[str, str] | None = None,
    user=None,
    dry_run: bool = False,
    strict: bool = False,
    use_matcher: bool = False,
    report: IO[str] | None = None,
    progress: Callable[[int], None] | None = None,
    before_commit: Callable[[Summary], None] | None = None,
    checked_rows: Callable[[Importer], Iterable[tuple[Row, int | None]] | None] | None = None,
    expected_rows: int = 0,
) -> Summary:
    """Import every row in one transaction: a failure, a kill or a dry run leaves nothing.

    Rows with errors, repeated rows and rows staff chose to skip are skipped and reported;
    with `strict`, any row with an error rolls the whole import back (the commands' default).
    `checked_rows` may give, for the importer, the rows the preview already checked (see
    rowcache); when it gives None, the rows of `file` are checked here. `expected_rows` (the
    preview's count) lets a large import build its table's indexes once at the end.
    """
    decisions = decisions or {}
    summary = Summary()
    writer = _report_writer(report) if report is not None else None
    started = time.monotonic()

    # Records of the public index the import changed. Created organisations are not among
    # them: an import creates them pending qualification, unlisted until staff qualify them.
    touched: list[int] = []

    def note(outcome: Outcome, identifier: str = "") -> None:
        if outcome.pk is not None and outcome.action == "updated":
            touched.append(outcome.pk)
        if outcome.action == "created":
            summary.created += 1
        elif outcome.action == "updated":
            summary.updated += 1
        else:
            summary.skipped += 1
        if writer is not None:
            # Labels come from the imported file: a formula in it stays text in the report.
            report_rows.append(
                (outcome.number, REPORT_ACTIONS[outcome.action],
                 spreadsheet_safe(outcome.label), outcome.pk or "",
                 spreadsheet_safe(outcome.reason) if outcome.reason else "")
            )  # fmt: skip
            if len(report_rows) >= BATCH_SIZE:
                report_write()

    # The report's rows are written a batch at a time: one call instead of one a row.
    report_rows: list[tuple] = []

    def report_write() -> None:
        writer.writerows(report_rows)
        report_rows.clear()

    # The progress file is rewritten at most twice a second, not after every batch.
    progress_written = [0.0]

    def progress_tick(rows: int) -> None:
        now = time.monotonic()
        if now - progress_written[0] >= PROGRESS_INTERVAL:
            progress_written[0] = now
            progress(rows)

    class _DryRun(Exception):
        pass

    try:
        with (
            transaction.atomic(),
            _large_cache(),
            _frozen_gc(),
            search_index_deferred(IMPORTERS[kind].model) as index_new_rows,
            _indexes_deferred(IMPORTERS[kind].model, expected_rows),
        ):
            importer = importer_for(kind, user=user, use_matcher=use_matcher)
            gc.collect()  # what loading left behind, before freezing what stays
            gc.freeze()
            analysed = checked_rows(importer) if checked_rows is not None else None
            if analysed is None:
                analysed = analyse_rows(importer, rows_of(file, info, mapping))
            pending: list[tuple[Row, int | None]] = []

            def flush():
                # The rows created so far go into the search index before the matcher reads it,
                # and before an update could change the search text of one of them (the
                # update trigger removes the old text from the index: it must be there).
                # Otherwise they are indexed all at once at the end, which is faster.
                if use_matcher or any(target is not None for _row, target in pending):
                    index_new_rows()
                for outcome in importer.write(pending):
                    note(outcome)
                pending.clear()

            for row, duplicate_of in analysed:
                summary.rows += 1
                if row.errors:
                    label = importer.label(row.values)
                    summary.errors += 1
                    reason = " ".join(row.errors)
                    if len(summary.error_samples) < 20:
                        summary.error_samples.append(
                            _("line %(line)d: %(reason)s") % {"line": row.number, "reason": reason}
                        )
                    note(Outcome(row.number, "skipped", None, label, reason))
                elif duplicate_of is not None:
                    label = importer.label(row.values)
                    note(
                        Outcome(row.number, "skipped", None, label,
                                _("Same record as line %(line)d of the file.")
                                % {"line": duplicate_of})
                    )  # fmt: skip
                else:
                    decision = decisions.get(str(row.number), "") if decisions else ""
                    if decision == "skip":
                        label = importer.label(row.values)
                        note(Outcome(row.number, "skipped", None, label, _("Skipped by choice.")))
                    else:
                        if decision == "create":
                            target = None
                        elif decision.startswith("update:"):
                            target = int(decision.split(":", 1)[1])
                        else:
                            target = importer.default_target(row)
                        pending.append((row, target))
                        if len(pending) >= BATCH_SIZE:
                            flush()
                if progress is not None and summary.rows % BATCH_SIZE == 0:
                    progress_tick(summary.rows)
            flush()
            if writer is not None:
                report_write()
            importer.finish()
            if strict and summary.errors:
                raise ImportFailed(
                    _("%(count)d row(s) with errors: nothing was imported.")
                    % {"count": summary.errors}
                )
            if dry_run:
                raise _DryRun
            if IMPORTERS[kind].model._meta.label == "organizations.Organization":
                # The rows went in with raw SQL, past the signals that keep the public index.
                from observatoire.portal.index import index_after_bulk_write

                index_after_bulk_write(touched)
            if before_commit is not None:
                before_commit(summary)
    except _DryRun:
        pass
    summary.seconds = time.monotonic() - started
    if progress is not None:
        progress(summary.rows)
    return summary


@contextlib.contextmanager
def _frozen_gc():
    # The register's indexes loaded by the importer are long-lived: once frozen, the cyclic
    # garbage collector stops walking them at every collection of a million-row import. The
    # rows of a batch are many young objects without cycles: collecting them every 700
    # allocations (the default) took a tenth of a commit's time.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _indexes_deferred(model, expected_rows: int):
    # The history table grows with the model's table; `merged_into` is read when updated
    # organisations get their search text again.
    history = getattr(model, "history", None)
    models_ = [model] + ([history.model] if history is not None else [])
    return fastinsert.secondary_indexes_deferred(
        models_, rows=expected_rows, keep=["merged_into_id"]
    )


@contextlib.contextmanager
def _large_cache():
    # SQLite's default page cache (2 MB) makes every index insert of a large import read the
    # disk again. The transaction's dirty pages (rows, history, ten indexes a table, the FTS5
    # index) outgrow 64 MB at about 100,000 rows, and each page then spilled to the WAL is
    # read and written again by the next batches: 256 MB halves the writes' time at 200,000
    # rows (measured on raw SQL: 25 s → 14 s) and stays within the memory target at 2 M rows.
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


# Jobs --------------------------------------------------------------------------------------


def _progress_path(job_id) -> Path:
    # A file beside the database, not a row: the import's transaction holds SQLite's write lock
    # until it ends, and the progress bar must move before that.
    directory = Path(settings.DATA_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{job_id}.progress"


def job_progress_write(job_id, processed: int) -> None:
    path = _progress_path(job_id)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"processed": processed, "at": time.time()}))
    os.replace(temporary, path)


def job_progress_read(job_id) -> dict:
    try:
        return json.loads(_progress_path(job_id).read_text())
    except (OSError, ValueError):
        return {"processed": 0, "at": None}


def import_job_create(*, owner, kind: str, upload: File, mapping_name: str = "") -> ImportJob:
    """Check the uploaded file by its content, store it and guess the mapping of its columns."""
    info = reading.detect(upload)
    headers = reading.read_headers(upload, info)
    if not any(headers):
        raise reading.ReadError(_("The first row of the file holds no column names."))
    mapping = guess_mapping(kind, headers)
    if mapping_name:
        saved = SavedMapping.objects.filter(kind=kind, name=mapping_name).first()
        if saved:
            mapping = {h: f for h, f in saved.columns.items() if h in headers}
    upload.seek(0)
    job = ImportJob(
        kind=kind,
        owner=owner,
        original_name=os.path.basename(getattr(upload, "name", "") or "")[:255],
        file_format=info.file_format,
        encoding=info.encoding,
        delimiter=info.delimiter,
        headers=headers,
        mapping=mapping,
    )
    extension = info.file_format
    job.file.save(f"{job.pk}.{extension}", File(upload), save=False)
    job.save()
    return job


def _info(job: ImportJob) -> reading.FileInfo:
    return reading.FileInfo(
        file_format=job.file_format, encoding=job.encoding, delimiter=job.delimiter
    )


@transaction.atomic
def import_job_map(*, job: ImportJob, mapping: dict[str, str], save_as: str = "") -> ImportJob:
    """Record the columns' mapping (and save it under a name); count the rows and their errors."""
    mapping = {h: f for h, f in mapping.items() if f and h in job.headers}
    missing = missing_required(job.kind, mapping)
    if missing:
        raise reading.ReadError(
            _("Map a column to each required field: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    if len(set(mapping.values())) != len(mapping):
        raise reading.ReadError(_("Two columns are mapped to the same field."))
    if save_as:
        SavedMapping.objects.update_or_create(
            kind=job.kind, name=save_as, defaults={"columns": mapping}
        )
    job.mapping = mapping
    job.decisions = {}
    total = errors = 0
    importer = importer_for(job.kind)
    # The checked rows are kept for the commit, which then does not check them again.
    cache = None
    if isinstance(importer, PackedRows):
        stamp = rowcache.cache_stamp(job=job, importer=importer)
        cache = rowcache.RowCacheWriter(rowcache.cache_path(job.pk), stamp, importer)
    rowcache.matches_path(job.pk).unlink(missing_ok=True)  # those of an earlier mapping
    try:
        with job.file.open("rb") as file:
            for row, duplicate_of in analyse_rows(importer, rows_of(file, _info(job), mapping)):
                total += 1
                errors += bool(row.errors or duplicate_of)
                if cache is not None:
                    cache.add(row, duplicate_of)
    except BaseException:
        if cache is not None:
            cache.discard()
        raise
    if cache is not None:
        cache.close()
    job.total_rows, job.error_rows = total, errors
    if total == 0:
        raise reading.ReadError(_("The file has a header row but no data rows."))
    job.state = ImportJob.State.MAPPED
    job.save(update_fields=["mapping", "decisions", "total_rows", "error_rows", "state"])
    if _batch_matched(job, importer):
        from .tasks import find_preview_matches

        # In the background: at national scale it takes longer than a web request may.
        language = get_language()
        transaction.on_commit(lambda: find_preview_matches.enqueue(str(job.pk), language))
    return job


def _batch_matched(job: ImportJob, importer: Importer | type[Importer]) -> bool:
    """Whether the preview of this job reads matches found for the whole file at once."""
    kind = importer if isinstance(importer, type) else type(importer)
    return (
        kind.batch_matching
        and issubclass(kind, PackedRows)
        and PREVIEW_BATCH_FROM <= (job.total_rows or 0) <= PREVIEW_BATCH_MAX
    )


def import_job_find_matches(*, job_id, language: str) -> int | None:
    """Find the matches of every row of a mapped file at once and keep them for its preview
    pages; the number of rows matched, or None when the job's checked rows are not there."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.state != ImportJob.State.MAPPED:
        return None
    with translation.override(language):  # the rows' stamp holds the language of the mapping
        importer = importer_for(job.kind)
        stamp = rowcache.cache_stamp(job=job, importer=importer)
        rows = rowcache.cached_rows(rowcache.cache_path(job.pk), stamp, importer)
        if rows is None:
            return None
        try:
            to_match = [row for row, _duplicate_of in rows if not row.errors]
        except rowcache.DamagedRows:
            return None  # the preview asks the matcher row by row
        rowcache.matches_write(
            rowcache.matches_path(job.pk), stamp, importer.batch_matches(to_match)
        )
    return len(to_match)


def import_job_matches_pending(*, job: ImportJob) -> bool:
    """Whether the matches of the whole file are still being looked for (see above)."""
    return _batch_matched(job, IMPORTERS[job.kind]) and not rowcache.matches_path(job.pk).exists()


@dataclass
class PreviewRow:
    number: int
    cells: list[str]
    errors: list[str]
    warnings: list[str]
    duplicate_of: int | None
    matches: list[tuple[int, str, str]]
    default: str  # "create", "update:<pk>" or "skip"
    choice: str

    @property
    def options(self) -> list[tuple[str, str]]:
        """(value, label) of the actions staff may choose for this row."""
        options = [("create", _("Create"))]
        options += [
            (f"update:{pk}", _("Update %(label)s") % {"label": label})
            for pk, label, _reasons in self.matches
        ]
        return options + [("skip", _("Skip"))]


def import_job_preview(*, job: ImportJob, page: int, per_page: int = 50) -> list[PreviewRow]:
    """The rows of one page with their errors, their duplicates and the proposed action."""
    importer = importer_for(job.kind, use_matcher=True)
    first = (page - 1) * per_page + 2
    last = first + per_page
    fields = [f for _h, f in job.mapping.items()]
    result: list[PreviewRow] = []
    batched = _batched_matches(job, importer, lines=range(first, last))
    with job.file.open("rb") as file:
        numbered = rows_of(file, _info(job), job.mapping)
        for row, duplicate_of in analyse_rows(importer, numbered):
            if row.number < first:
                continue
            if row.number >= last:
                break
            if row.errors:
                matches = []
            elif batched is not None:
                matches = batched.matches(row.number)
            else:
                matches = importer.matches(row)
            if row.errors or duplicate_of:
                default = "skip"
            else:
                if batched is not None:
                    target = importer.target_among(row, batched.scored.get(row.number, []))
                else:
                    target = importer.default_target(row)
                default = f"update:{target}" if target else "create"
                if target and target not in [m[0] for m in matches]:
                    record = importer.model.objects.filter(pk=target).first()
                    matches.insert(0, (target, str(record or target), ""))
            raw_cells = _cells_of(row, fields)
            result.append(
                PreviewRow(
                    number=row.number,
                    cells=raw_cells,
                    errors=row.errors,
                    warnings=row.warnings,
                    duplicate_of=duplicate_of,
                    matches=matches,
                    default=default,
                    choice=job.decisions.get(str(row.number), default),
                )
            )
    return result


@dataclass
class BatchedMatches:
    """The matches `import_job_find_matches` found for the whole file, named for display."""

    scored: dict[int, list]  # line → [(pk, score, reason codes)]
    records: dict[int, object]  # pk → record, for the labels

    def matches(self, number: int) -> list[tuple[int, str, str]]:
        return [
            (pk, str(self.records[pk]), ", ".join(translate_reasons(codes)))
            for pk, _score, codes in self.scored.get(number, [])
        ]


def _batched_matches(job: ImportJob, importer: Importer, lines: range) -> BatchedMatches | None:
    # The file's matches when the task found them for this file and mapping; the records they
    # name are read once, when the page is shown (labels as the register has them now).
    if not importer.batch_matching or not isinstance(importer, PackedRows):
        return None
    stamp = rowcache.cache_stamp(job=job, importer=importer)
    scored = rowcache.matches_read(rowcache.matches_path(job.pk), stamp)
    if scored is None:
        return None
    scored = {line: found for line, found in scored.items() if line in lines}
    pks = {pk for found in scored.values() for pk, _score, _codes in found}
    records = importer.model.objects.in_bulk(pks)
    # A record deleted since the mapping is no longer proposed; one merged since leads to the
    # record it was merged into, as find_matches would.
    kept: dict[int, list] = {}
    for line, found in scored.items():
        kept[line] = []
        for pk, score, codes in found:
            if pk not in records:
                continue
            record = records[pk]
            if getattr(record, "merged_into_id", None):
                record = records.setdefault(record.survivor.pk, record.survivor)
            if all(record.pk != other for other, _score, _codes in kept[line]):
                kept[line].append((record.pk, score, codes))
    return BatchedMatches(scored=kept, records=records)


def _cells_of(row: Row, fields: list[str]) -> list[str]:
    cells = []
    for name in fields:
        value = row.values.get(name)
        if value is None:
            value = ""
        cells.append(str(value))
    return cells


@transaction.atomic
def import_job_decide(*, job: ImportJob, choices: dict[str, str]) -> ImportJob:
    """Keep the per-row choices of the preview (create, update which record, skip)."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    for number, choice in choices.items():
        if choice in ("create", "skip") or (
            choice.startswith("update:") and choice.split(":", 1)[1].isdigit()
        ):
            job.decisions[str(int(number))] = choice
    job.save(update_fields=["decisions"])
    return job


def import_job_enqueue(*, job: ImportJob) -> ImportJob:
    """Queue the commit; the worker runs it after this transaction commits."""
    from .tasks import run_import_job

    if job.state not in (ImportJob.State.MAPPED, ImportJob.State.FAILED):
        return job
    job.state = ImportJob.State.QUEUED
    job.failure = ""
    job.save(update_fields=["state", "failure"])
    job_progress_write(job.pk, 0)
    transaction.on_commit(lambda: run_import_job.enqueue(str(job.pk)))
    return job


def import_job_run(*, job_id) -> Summary | None:
    """Commit an import in one transaction, then store its report; on failure nothing changed."""
    job = ImportJob.objects.select_related("owner").get(pk=job_id)
    if job.state not in (ImportJob.State.QUEUED, ImportJob.State.RUNNING):
        return None
    job.state = ImportJob.State.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["state", "started_at"])
    # The report goes to a temporary file, then to the storage: never whole in memory.
    report_file = tempfile.TemporaryFile()
    # UTF-8 with a byte order mark (for Excel), written once: the "utf-8-sig" codec encodes in
    # Python, a row at a time.
    report = io.TextIOWrapper(report_file, encoding="utf-8", newline="")
    report.write("\ufeff")
    try:
        with job.file.open("rb") as file:
            summary = run_rows(
                kind=job.kind,
                file=file,
                info=_info(job),
                mapping=job.mapping,
                decisions=job.decisions,
                user=job.owner,
                use_matcher=(job.total_rows or 0) <= MATCHER_ROW_LIMIT,
                report=report,
                progress=lambda processed: job_progress_write(job.pk, processed),
                before_commit=lambda summary: _mark_done(job, summary),
                checked_rows=lambda importer: _checked_rows(job, importer),
                expected_rows=job.total_rows or 0,
            )
    except Exception as error:
        report.close()
        if isinstance(error, rowcache.DamagedRows):
            rowcache.cache_discard(job.pk)  # the next run checks the upload itself
        job.state = ImportJob.State.FAILED
        reason = str(error) if isinstance(error, reading.ReadError) else type(error).__name__
        job.failure = _(
            "The import stopped (%(error)s). Nothing was changed in the register; "
            "you may run it again."
        ) % {"error": reason}
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "failure", "finished_at"])
        if not isinstance(error, reading.ReadError | ImportFailed):
            logger.exception("Import %s failed", job.pk)
        return None
    report.flush()
    report.detach()
    report_file.seek(0)
    job.report.save(f"{job.pk}-rapport.csv", File(report_file), save=False)
    report_file.close()
    job.save(update_fields=["report"])
    _progress_path(job.pk).unlink(missing_ok=True)  # a finished job shows its own counts
    rowcache.cache_discard(job.pk)
    return summary


def _checked_rows(job: ImportJob, importer: Importer):
    # The preview's rows when they are those of this file, mapping and language; else None.
    if not isinstance(importer, PackedRows):
        return None
    stamp = rowcache.cache_stamp(job=job, importer=importer)
    return rowcache.cached_rows(rowcache.cache_path(job.pk), stamp, importer)


def _mark_done(job: ImportJob, summary: Summary) -> None:
    # Inside the import's transaction: the job says "done" if and only if the rows are in.
    job.created_count, job.updated_count = summary.created, summary.updated
    job.skipped_count = summary.skipped
    job.state = ImportJob.State.DONE
    job.finished_at = timezone.now()
    job.save(
        update_fields=["created_count", "updated_count", "skipped_count", "state", "finished_at"]
    )


# A running job whose progress has not moved for this long lost its worker.
STALE_AFTER_SECONDS = 300


def import_job_recover(*, job: ImportJob) -> ImportJob:
    """A job left running by a killed worker: its transaction never committed; mark it failed."""
    if job.state != ImportJob.State.RUNNING:
        return job
    progress = job_progress_read(job.pk)
    last = progress.get("at") or (job.started_at.timestamp() if job.started_at else 0)
    if time.time() - last < STALE_AFTER_SECONDS:
        return job
    job.state = ImportJob.State.FAILED
    job.failure = _(
        "The worker stopped during the import. Its transaction was never committed: nothing "
        "was changed in the register; you may run it again."
    )
    job.save(update_fields=["state", "failure"])
    return job


def saved_mapping_names(kind: str) -> list[str]:
    return list(SavedMapping.objects.filter(kind=kind).values_list("name", flat=True))
