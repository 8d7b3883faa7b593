"""`manage.py export_open_data --format csv --output DIR`: write the open-data files."""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from observatoire.opendata.services import FORMATS, open_data_write


class Command(BaseCommand):
    help = "Write the open data (public fields only) in the chosen formats into a directory."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            dest="formats",
            action="append",
            required=True,
            help=f"One of {', '.join(FORMATS)}, or all; repeat for several (comma-separated "
            "lists work too).",
        )
        parser.add_argument("--output", required=True, help="Directory to write the files into.")

    def handle(self, *args, formats, output, **options):
        chosen: list[str] = []
        for value in formats:
            for name in (part.strip().lower() for part in value.split(",")):
                if name == "all":
                    chosen.extend(FORMATS)
                elif name in FORMATS:
                    chosen.append(name)
                else:
                    raise CommandError(
                        f"Unknown format “{name}”: choose among {', '.join(FORMATS)} or all."
                    )
        directory = Path(output)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"Cannot create the directory {directory}: {error}") from error
        if not directory.is_dir() or not os.access(directory, os.W_OK):
            raise CommandError(f"The directory {directory} is not writable.")
        manifest = open_data_write(directory=directory, formats=list(dict.fromkeys(chosen)))
        for entry in manifest.files:
            self.stdout.write(f"{entry.name}\t{entry.rows} rows\t{entry.size} bytes")
        self.stdout.write(self.style.SUCCESS(f"{len(manifest.files)} files written to {directory}"))
