"""Import of an attendee list (CSV or XLSX) into an event's registrations.

The importer follows the imports app's protocol (clean → keys → write by batch) and reuses its
file reading, cleaning and organisation look-up. An attendee list belongs to one event, which an
import job of the register does not carry: the event's back office runs this importer itself
(`registrations_import`) rather than through the generic job screens.
"""

import datetime
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire.core.text import fold
from observatoire.imports import cleaning, reading
from observatoire.imports.fields import Field
from observatoire.imports.importers import Importer, OrganizationReferences, Outcome, Row
from observatoire.imports.services import analyse_rows, rows_of
from observatoire.referentials.models import Country

from .models import Event, Registration
from .services import RegistrationRefused, person_for_email, registration_create

KIND = "registrations"

FIELDS = (
    Field(
        "first_name",
        gettext_lazy("First name"),
        required=True,
        synonyms=("prenom", "first name"),
    ),
    Field(
        "last_name",
        gettext_lazy("Last name"),
        required=True,
        synonyms=("nom", "nom de famille", "last name", "surname", "family name"),
    ),
    Field(
        "email",
        gettext_lazy("E-mail"),
        required=True,
        synonyms=("e mail", "email", "courriel", "mail", "adresse e mail", "adresse mail"),
    ),
    Field(
        "organization",
        gettext_lazy("Organisation"),
        synonyms=(
            "structure", "organisation", "organization", "organisme", "association",
            "nom de la structure", "employeur", "company",
        ),
    ),
    Field(
        "country",
        gettext_lazy("Country of residence"),
        synonyms=("pays", "country", "pays de residence", "pays de résidence"),
    ),
)  # fmt: skip


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """{header: field key} for the headers that name a field (exact synonyms, accents ignored)."""
    mapping: dict[str, str] = {}
    for item in FIELDS:
        names = {fold(str(item.label)), fold(item.key.replace("_", " ")), *map(fold, item.synonyms)}
        for header in headers:
            if header not in mapping and fold(header) in names:
                mapping[header] = item.key
                break
    return mapping


class RegistrationImporter(Importer):
    """Rows of an attendee list → registrations of one event (source “import”)."""

    kind = KIND
    model = Registration

    def __init__(self, *, event: Event, user=None, now: datetime.datetime | None = None):
        super().__init__(user=user)
        self.event = event
        self.now = now

    def prepare(self) -> None:  # noqa: B027
        self.organizations = OrganizationReferences()
        self.countries: dict[str, Country] = {}
        for country in Country.objects.all():
            for value in (country.iso2, country.iso3, country.name_fr, country.name_en):
                self.countries[fold(value)] = country

    def clean(self, number: int, raw: dict[str, str]) -> Row:
        errors: list[str] = []
        values: dict[str, Any] = {}
        row = Row(number=number, values=values, errors=errors)
        self.flag_formulas(raw, row)
        for key, label, length in (
            ("first_name", gettext_lazy("The first name"), 100),
            ("last_name", gettext_lazy("The last name"), 100),
        ):
            if not (raw.get(key) or "").strip():
                errors.append(_("%(field)s is missing.") % {"field": label})
            values[key] = cleaning.text(raw.get(key, ""), length, label, errors)
        if not (raw.get("email") or "").strip():
            errors.append(_("The e-mail address is missing."))
        values["email"] = cleaning.email(raw.get("email", ""), errors)
        name = " ".join((raw.get("organization") or "").split())
        values["organization_name"] = name[:255]
        values["organization"] = None
        if name:
            # An organisation unknown to the register is kept as given, for staff to link.
            values["organization"] = self.organizations.find({"organization": name}, [])
            if values["organization"] is None:
                row.warnings.append(
                    _("“%(name)s” is not in the register: kept as given.") % {"name": name}
                )
        country = (raw.get("country") or "").strip()
        values["country"] = None
        if country:
            values["country"] = self.countries.get(fold(country))
            if values["country"] is None:
                errors.append(_("Unknown country: “%(value)s”.") % {"value": country})
        if not errors:
            row.keys = [("email", values["email"])]
        return row

    def label(self, values: dict[str, Any]) -> str:
        name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
        return f"{name} <{values['email']}>" if values.get("email") else name

    def write(self, batch: list[tuple[Row, int | None]]) -> list[Outcome]:
        outcomes = []
        for row, _target in batch:
            values = row.values
            try:
                with transaction.atomic():
                    person = person_for_email(
                        email=values["email"],
                        first_name=values["first_name"],
                        last_name=values["last_name"],
                    )
                    registration = registration_create(
                        event=self.event,
                        person=person,
                        email=values["email"],
                        **self._organization(values),
                        country=values["country"],
                        source=Registration.Source.IMPORT,
                        registered_by=self.user,
                        enforce_rules=False,
                        notify=False,
                        now=self.now,
                    )
            except RegistrationRefused as refusal:
                outcomes.append(
                    Outcome(row.number, "skipped", None, self.label(values), refusal.messages[0])
                )
                continue
            outcomes.append(
                Outcome(
                    row.number,
                    "created",
                    registration.pk,
                    self.label(values),
                    " ".join(row.warnings),
                )
            )
        return outcomes

    @staticmethod
    def _organization(values: dict[str, Any]) -> dict[str, Any]:
        from observatoire.organizations.models import Organization

        organization = None
        if values["organization"]:
            organization = Organization.objects.filter(pk=values["organization"]).first()
        return {"organization": organization, "organization_name": values["organization_name"]}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)


def registrations_import(
    *, event: Event, file: IO[bytes], user=None, dry_run: bool = False
) -> ImportResult:
    """Register every valid row of an attendee list; every other row is reported in French.

    Staff import after the fact too: the deadline, the capacity and the rules do not apply, a
    person already registered is skipped. A dry run checks and rolls everything back.
    """
    info = reading.detect(file)
    headers = reading.read_headers(file, info)
    file.seek(0)
    mapping = guess_mapping(headers)
    result = ImportResult()
    mapped = set(mapping.values())
    result.missing_columns = [str(f.label) for f in FIELDS if f.required and f.key not in mapped]
    if result.missing_columns:
        return result

    class _DryRun(Exception):
        pass

    try:
        with transaction.atomic():
            importer = RegistrationImporter(event=event, user=user)
            importer.prepare()
            for row, duplicate_of in analyse_rows(importer, rows_of(file, info, mapping)):
                result.rows += 1
                label = importer.label(row.values)
                if row.errors:
                    outcome = Outcome(row.number, "skipped", None, label, " ".join(row.errors))
                elif duplicate_of is not None:
                    outcome = Outcome(
                        row.number,
                        "skipped",
                        None,
                        label,
                        _("Same person as line %(line)d of the file.") % {"line": duplicate_of},
                    )
                else:
                    (outcome,) = importer.write([(row, None)])
                result.outcomes.append(outcome)
                if outcome.action == "created":
                    result.created += 1
                else:
                    result.skipped += 1
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result
