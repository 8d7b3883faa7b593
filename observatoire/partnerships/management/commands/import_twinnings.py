"""Import twin-town pairs from a CSV file: `manage.py import_twinnings FILE [--dry-run]`."""

from django.core.management.base import BaseCommand, CommandError

from observatoire.imports.reading import ReadError
from observatoire.partnerships.twinnings import ATTRIBUTION, twinnings_import


class Command(BaseCommand):
    help = (
        "Import twin-town pairs (columns city1,country1,lat1,lng1,city2,country2,lat2,lng2) as "
        "twinning partnerships. Each row is imported or rejected on its own."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (or XLSX) file of twin-town pairs")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, write nothing"
        )
        parser.add_argument(
            "--create-french",
            action="store_true",
            help="create the French commune's authority when the register has none",
        )
        parser.add_argument(
            "--verbose-rows", action="store_true", help="list every row, not only rejected ones"
        )

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as file:
                result = twinnings_import(
                    file=file,
                    dry_run=options["dry_run"],
                    create_french=options["create_french"],
                )
        except OSError as error:
            raise CommandError(f"Cannot open {options['file']}: {error.strerror}") from error
        except ReadError as error:
            raise CommandError(str(error)) from error
        for row in result.rows:
            if row.action == "rejected" or options["verbose_rows"]:
                self.stdout.write(f"line {row.number}: {row.action}: {row.label} {row.reason}")
        prefix = "[dry run] " if result.dry_run else ""
        self.stdout.write(
            f"{prefix}{len(result.rows)} rows: {result.created} twinnings created, "
            f"{result.existing} already recorded, {result.rejected} rejected; "
            f"{result.authorities_created} authorities created. Data: {ATTRIBUTION}."
        )
