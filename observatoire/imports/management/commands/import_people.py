from observatoire.imports.models import Kind

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Import people from a CSV or XLSX file, all or nothing, with a progress bar."
    kind = Kind.PEOPLE
