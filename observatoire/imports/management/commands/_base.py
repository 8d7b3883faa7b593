"""What the import commands share: read a file, show a progress bar on stderr, summarise."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from observatoire.imports import reading
from observatoire.imports.fields import guess_mapping, missing_required
from observatoire.imports.models import SavedMapping
from observatoire.imports.services import ImportFailed, run_rows


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second."""

    def __init__(self, stream, total: int | None = None, label: str = ""):
        self.stream, self.total, self.label = stream, total, label
        self.last = 0.0
        self.started = time.monotonic()

    def __call__(self, processed: int, *, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last < 0.1:
            return
        self.last = now
        rate = processed / max(now - self.started, 1e-6)
        if self.total:
            share = min(1.0, processed / self.total)
            filled = int(share * 30)
            bar = "#" * filled + "-" * (30 - filled)
            text = f"\r{self.label} [{bar}] {processed}/{self.total} ({rate:,.0f} lignes/s)"
        else:
            text = f"\r{self.label} {processed} lignes ({rate:,.0f} lignes/s)"
        self.stream.write(text)
        if final:
            self.stream.write("\n")
        self.stream.flush()


def count_rows(path: str, info: reading.FileInfo) -> int:
    with open(path, "rb") as file:
        return max(0, sum(1 for _row in reading.iter_rows(file, info)) - 1)


class ImportCommand(BaseCommand):
    kind: str

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8 or Windows-1252, ; or ,) or XLSX file")
        parser.add_argument("--mapping", help="name of a saved mapping (default: guessed)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows even if others have errors (default: all or nothing)",
        )
        parser.add_argument(
            "--no-count", action="store_true", help="do not count the rows first (no total)"
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            with open(path, "rb") as file:
                info = reading.detect(file)
                headers = reading.read_headers(file, info)
        except OSError as error:
            raise CommandError(f"Impossible de lire {path} : {error.strerror}") from error
        except reading.ReadError as error:
            raise CommandError(str(error)) from error
        if options["mapping"]:
            saved = SavedMapping.objects.filter(kind=self.kind, name=options["mapping"]).first()
            if saved is None:
                raise CommandError(f"Aucune correspondance enregistrée « {options['mapping']} ».")
            mapping = {h: f for h, f in saved.columns.items() if h in headers}
        else:
            mapping = guess_mapping(self.kind, headers)
        missing = missing_required(self.kind, mapping)
        if missing:
            raise CommandError(
                "Colonnes obligatoires introuvables : " + ", ".join(missing)
                + ". Colonnes du fichier : " + ", ".join(headers)
            )  # fmt: skip
        ignored = [h for h in headers if h not in mapping]
        if ignored and options["verbosity"] > 0:
            self.stderr.write("Colonnes ignorées : " + ", ".join(ignored))
        total = None if options["no_count"] else count_rows(path, info)
        bar = ProgressBar(self.stderr._out, total, label=self.kind)
        try:
            with open(path, "rb") as file:
                summary = run_rows(
                    kind=self.kind,
                    file=file,
                    info=info,
                    mapping=mapping,
                    dry_run=options["dry_run"],
                    strict=not options["skip_invalid"],
                    progress=bar,
                )
        except ImportFailed as error:
            bar(total or 0, final=True)
            raise CommandError(str(error)) from error
        except reading.ReadError as error:
            raise CommandError(str(error)) from error
        bar(summary.rows, final=True)
        self.print_summary(summary, dry_run=options["dry_run"])
        if summary.errors:
            for sample in summary.error_samples:
                self.stderr.write(f"  {sample}")
            sys.exit(1)

    def print_summary(self, summary, *, dry_run: bool) -> None:
        prefix = "Essai à blanc (rien n'est enregistré) : " if dry_run else ""
        self.stdout.write(
            f"{prefix}{summary.rows} lignes lues, {summary.created} créées, "
            f"{summary.updated} mises à jour, {summary.skipped} ignorées, "
            f"{summary.errors} en erreur ({summary.rows_per_second:,.0f} lignes/s)."
        )
