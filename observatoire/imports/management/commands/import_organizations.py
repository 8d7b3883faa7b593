from observatoire.imports.models import Kind

from ._base import ImportCommand


class Command(ImportCommand):
    help = "Import organizations from a CSV or XLSX file, all or nothing, with a progress bar."
    kind = Kind.ORGANIZATIONS
