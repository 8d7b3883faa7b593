from django.core.management.base import BaseCommand, CommandError

from observatoire.imports import reading
from observatoire.imports.rna import import_rna

from ._base import ProgressBar


class Command(BaseCommand):
    help = (
        "Read an RNA (waldec) file and keep the associations acting internationally as "
        "candidates for staff to qualify."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a waldec CSV file (semicolon-separated)")

    def handle(self, *args, **options):
        bar = ProgressBar(self.stderr._out, None, label="rna")
        try:
            with open(options["file"], "rb") as file:
                summary = import_rna(file=file, progress=bar)
        except OSError as error:
            raise CommandError(
                f"Impossible de lire {options['file']} : {error.strerror}"
            ) from error
        except reading.ReadError as error:
            raise CommandError(str(error)) from error
        bar(summary.rows, final=True)
        self.stdout.write(
            f"{summary.rows} associations lues, {summary.candidates} candidates à l'action "
            f"internationale ({summary.new} nouvelles, {summary.refreshed} mises à jour, "
            f"{summary.matched} déjà au registre), {summary.dissolved} dissoutes écartées, "
            f"{summary.repeated} répétées, {summary.malformed} lignes mal formées écartées."
        )
        for _line, message in summary.examples[:20]:
            self.stderr.write(f"  {message}")
