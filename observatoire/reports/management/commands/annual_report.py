"""`manage.py annual_report --year YYYY --format html|pdf|json --output PATH`.

Writes the published report of the year (from its snapshot), or, when none is published, the
default template on figures computed now.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from observatoire.reports import render as rendering
from observatoire.reports import selectors, services

FORMATS = ("html", "pdf", "json")


def _year(value: str) -> int:
    if not value.isdigit() or not 1980 <= int(value) <= 2100:
        raise CommandError(
            _("--year must be a year between 1980 and 2100, not “%(value)s”.") % {"value": value}
        )
    return int(value)


def _writable(output: str) -> Path:
    path = Path(output)
    if path.is_dir():
        raise CommandError(_("%(path)s is a folder: give a file name.") % {"path": output})
    parent = path.resolve().parent
    if not parent.is_dir():
        raise CommandError(_("The folder %(path)s does not exist.") % {"path": parent})
    try:
        with open(path, "ab"):
            pass
    except OSError as error:
        raise CommandError(
            _("Cannot write %(path)s: %(reason)s.") % {"path": output, "reason": error.strerror}
        ) from error
    return path


def build(report, output_format: str) -> bytes:
    """The report in one format, as the bytes of the file."""
    if output_format == "pdf":
        return rendering.report_pdf(report)
    if output_format == "json":
        data = rendering.report_json(report)
        return json.dumps(data, ensure_ascii=False, indent=1).encode()
    return rendering.document_html(report).encode()


class Command(BaseCommand):
    help = (
        "Write the annual report of a year as HTML, PDF or JSON: the published report of the "
        "year, else the default template on figures computed now."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="the year of the report, e.g. 2025")
        parser.add_argument("--format", required=True, help="html, pdf or json")
        parser.add_argument("--output", required=True, help="the file to write")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            year = _year(str(options["year"]))
            output_format = str(options["format"]).lower()
            if output_format not in FORMATS:
                raise CommandError(
                    _("--format must be html, pdf or json, not “%(value)s”.")
                    % {"value": options["format"]}
                )
            path = _writable(options["output"])
            report = selectors.published_report(year=year)
            if report is not None:
                content = build(report, output_format)
                origin = _("the published report")
            else:
                # The default template only exists for this run: nothing stays in the database.
                with transaction.atomic():
                    content = build(services.report_create(year=year), output_format)
                    transaction.set_rollback(True)
                origin = _("the default template on today's figures")
            path.write_bytes(content)
            self.stdout.write(
                _("%(path)s written (%(format)s, %(origin)s).")
                % {"path": path, "format": output_format, "origin": origin}
            )
