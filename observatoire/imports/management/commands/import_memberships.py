from observatoire.imports.models import Kind

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Import memberships from a CSV or XLSX file, all or nothing, with a progress bar."
    kind = Kind.MEMBERSHIPS
