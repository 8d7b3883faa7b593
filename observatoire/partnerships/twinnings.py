"""Import of twin-town pairs from a CSV (or XLSX) file.

The expected columns are those of the Wikipedia-derived list shipped with the benchmarks
(`city1,country1,lat1,lng1,city2,country2,lat2,lng2`, © Wikipedia contributors, CC BY-SA 4.0).
Either side may be the French one: the side whose country is "France" (or "Réunion, France")
is French. The French town is matched to a commune (homonyms told apart by the coordinates),
then to the register's local authority of that commune; the foreign town is matched to a
foreign authority of the register, or created lightly.

The report is per row: good rows are imported, each in its own savepoint, bad rows are
reported with their reason and change nothing. A dry run goes through the same steps and rolls
everything back, so its preview is exactly what the import will do.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from observatoire.core.text import fold
from observatoire.imports.reading import ReadError, detect, iter_rows
from observatoire.organizations.models import Organization, Source
from observatoire.organizations.services import organization_save
from observatoire.referentials.models import Commune, Country, OrganizationKind
from observatoire.referentials.selectors import commune_name_key

from .models import Partnership
from .selectors import distance_km, partner_town
from .services import authority_name_of, foreign_authority_create, partnership_create

COLUMNS = ["city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2"]
ATTRIBUTION = "Wikipedia contributors, CC BY-SA 4.0"
SOURCE = "twin-town import"
# A homonym farther than this from the given coordinates is not the town the row means.
HOMONYM_MAX_KM = 60.0

# English names the list uses that are not the registry's `Country.name_en`.
COUNTRY_ALIASES = {
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "republic of ireland": "IE",
    "czech republic": "CZ",
    "russia": "RU",
    "ivory coast": "CI",
    "turkey": "TR",
    "georgia country": "GE",
    "cape verde": "CV",
    "madagaskar": "MG",
    "usa": "US",
    "united states of america": "US",
    "the netherlands": "NL",
    "holland": "NL",
    "macedonia": "MK",
    "democratic republic of congo": "CD",
    "republic of the congo": "CG",
}


class _Rollback(Exception):
    """Raised at the end of a dry run to undo everything it wrote."""


@dataclass
class TwinningRow:
    number: int
    french_town: str = ""
    foreign_town: str = ""
    country_label: str = ""
    action: str = "rejected"  # created, existing, rejected
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    authorities_created: list[str] = field(default_factory=list)
    partnership_id: int | None = None

    @property
    def label(self) -> str:
        if self.french_town or self.foreign_town:
            return f"{self.french_town} – {self.foreign_town} ({self.country_label})"
        return ""


@dataclass
class TwinningImportResult:
    dry_run: bool
    rows: list[TwinningRow] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def existing(self) -> int:
        return self.count("existing")

    @property
    def rejected(self) -> int:
        return self.count("rejected")

    @property
    def authorities_created(self) -> int:
        return sum(len(row.authorities_created) for row in self.rows if row.action != "rejected")


class RowError(Exception):
    """A row that cannot be imported: the message says why."""


def is_french_side(country_label: str) -> bool:
    """'France' and 'Réunion, France' are French; 'England, United Kingdom' is not."""
    parts = [fold(part) for part in country_label.split(",")]
    return bool(parts) and parts[-1] == "france"


def parse_coordinate(value: str, *, limit: int) -> Decimal | None:
    """A latitude (limit 90) or longitude (limit 180); None when empty; RowError if wrong."""
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RowError(
            _("The coordinate “%(value)s” is not a number.") % {"value": value}
        ) from None
    if not number.is_finite() or abs(number) > limit:
        raise RowError(
            _("The coordinate %(value)s is out of range (±%(limit)s).")
            % {"value": value, "limit": limit}
        )
    return number.quantize(Decimal("0.000001"))


class _Lookups:
    """Everything the rows are matched against, loaded once per import."""

    def __init__(self):
        self.countries_by_name: dict[str, Country] = {}
        self.countries_by_iso2: dict[str, Country] = {}
        for country in Country.objects.all():
            self.countries_by_iso2[country.iso2] = country
            self.countries_by_name[fold(country.name_en)] = country
            self.countries_by_name.setdefault(fold(country.name_fr), country)
        self.communes: dict[str, list[tuple[int, str, float | None, float | None]]] = {}
        for pk, name, lat, lng in Commune.objects.values_list(
            "pk", "name", "latitude", "longitude"
        ).iterator(chunk_size=5000):
            self.communes.setdefault(commune_name_key(name), []).append((pk, name, lat, lng))
        self.commune_kind = OrganizationKind.objects.get(slug="commune")
        self.authority_of_commune: dict[int, Organization] = {}
        for organization in (
            Organization.objects.not_archived()
            .filter(kind=self.commune_kind, commune__isnull=False, seat_country__isnull=True)
            .order_by("-status", "pk")  # qualified before pending before draft
        ):
            self.authority_of_commune.setdefault(organization.commune_id, organization)
        self.foreign: dict[tuple[int, str], Organization] = {}
        for organization in Organization.objects.not_archived().filter(
            seat_country__isnull=False, kind__family="local_authority"
        ):
            key = (organization.seat_country_id, fold(partner_town(organization)))
            self.foreign.setdefault(key, organization)
        self.pairs = set(
            Partnership.objects.values_list("french_authority_id", "foreign_authority_id")
        )

    def country(self, label: str) -> tuple[Country, str]:
        """The country an English label names, and a note when an alias was used."""
        key = fold(label)
        if key in self.countries_by_name:
            return self.countries_by_name[key], ""
        parts = [fold(part) for part in label.split(",") if part.strip()]
        for part in [key, *parts]:
            iso2 = COUNTRY_ALIASES.get(part)
            if iso2 and iso2 in self.countries_by_iso2:
                country = self.countries_by_iso2[iso2]
                return country, _("country “%(label)s” read as %(country)s") % {
                    "label": label,
                    "country": country.name_fr,
                }
        for part in reversed(parts):  # "Somewhere, United Kingdom"
            if part in self.countries_by_name:
                return self.countries_by_name[part], ""
        raise RowError(_("Unknown country “%(label)s”.") % {"label": label})

    def commune(self, town: str, lat, lng) -> int:
        candidates = self.communes.get(commune_name_key(town), [])
        if not candidates:
            raise RowError(_("No French commune is named “%(town)s”.") % {"town": town})
        if len(candidates) == 1:
            return candidates[0][0]
        if lat is None or lng is None:
            raise RowError(
                _("%(count)d communes are named “%(town)s”: coordinates are needed to choose.")
                % {"count": len(candidates), "town": town}
            )
        located = [c for c in candidates if c[2] is not None and c[3] is not None]
        distance, pk = min(
            ((distance_km(lat, lng, c[2], c[3]), c[0]) for c in located),
            default=(None, None),
        )
        if pk is None or distance > HOMONYM_MAX_KM:
            raise RowError(
                _("None of the communes named “%(town)s” lies near these coordinates.")
                % {"town": town}
            )
        return pk


def _check_columns(headers: list[str]) -> dict[str, int]:
    positions = {fold(header).replace(" ", ""): index for index, header in enumerate(headers)}
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        raise ReadError(
            _(
                "This file does not have the columns of a twin-town list. Missing: %(missing)s. "
                "Expected: %(expected)s."
            )
            % {"missing": ", ".join(missing), "expected": ",".join(COLUMNS)}
        )
    return {column: positions[column] for column in COLUMNS}


def twinnings_import(
    *, file: IO[bytes], dry_run: bool = False, create_french: bool = False, changed_by=None
) -> TwinningImportResult:
    """Read a twin-town list and create the twinnings it holds; a report line per row.

    Raises ReadError when the file cannot be read or lacks the expected columns.
    """
    info = detect(file)
    rows = iter_rows(file, info)
    headers = next(rows, None)
    if not headers:
        raise ReadError(_("The file is empty."))
    positions = _check_columns(headers)
    result = TwinningImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            lookups = _Lookups()
            seen: dict[tuple, int] = {}
            for number, cells in enumerate(rows, start=2):
                values = {
                    column: cells[index] if index < len(cells) else ""
                    for column, index in positions.items()
                }
                row = TwinningRow(number=number)
                result.rows.append(row)
                try:
                    with transaction.atomic():
                        _import_row(row, values, lookups, seen, create_french, changed_by)
                except RowError as error:
                    row.action, row.reason = "rejected", str(error)
                except ValidationError as error:
                    row.action = "rejected"
                    row.reason = "; ".join(error.messages)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


def _import_row(row, values, lookups: _Lookups, seen, create_french, changed_by) -> None:
    sides = [
        (values["city1"], values["country1"], values["lat1"], values["lng1"]),
        (values["city2"], values["country2"], values["lat2"], values["lng2"]),
    ]
    if any(not town.strip() or not country.strip() for town, country, _lat, _lng in sides):
        raise RowError(_("A town or a country is missing."))
    french_sides = [side for side in sides if is_french_side(side[1])]
    if len(french_sides) == 2:
        row.french_town, row.foreign_town = sides[0][0], sides[1][0]
        raise RowError(_("Both towns are in France: only pairs with a town abroad are imported."))
    if not french_sides:
        row.french_town, row.foreign_town = sides[0][0], sides[1][0]
        raise RowError(_("Neither town is in France."))
    french = french_sides[0]
    foreign = sides[1] if french is sides[0] else sides[0]
    row.french_town, row.foreign_town, row.country_label = french[0], foreign[0], foreign[1]

    french_lat = parse_coordinate(french[2], limit=90)
    french_lng = parse_coordinate(french[3], limit=180)
    foreign_lat = parse_coordinate(foreign[2], limit=90)
    foreign_lng = parse_coordinate(foreign[3], limit=180)
    country, alias_note = lookups.country(foreign[1])
    if country.iso2 == "FR":
        raise RowError(_("Both towns are in France: only pairs with a town abroad are imported."))
    if alias_note:
        row.notes.append(alias_note)
    commune_pk = lookups.commune(french[0], french_lat, french_lng)

    key = (commune_pk, country.pk, fold(foreign[0]))
    if key in seen:
        raise RowError(_("Same pair as line %(line)d.") % {"line": seen[key]})
    seen[key] = row.number

    french_authority = lookups.authority_of_commune.get(commune_pk)
    if french_authority is None:
        if not create_french:
            raise RowError(
                _(
                    "No local authority of the register for the commune “%(town)s”; "
                    "ask to create the French authorities to import it."
                )
                % {"town": french[0]}
            )
        commune = Commune.objects.get(pk=commune_pk)
        french_authority = organization_save(
            organization=Organization(
                name=authority_name_of(commune.name),
                kind=lookups.commune_kind,
                legal_form=Organization.LegalForm.LOCAL_AUTHORITY,
                commune=commune,
                status=Organization.Status.PENDING,
                source=Source.IMPORT,
            ),
            changed_by=changed_by,
            reason=SOURCE,
        )
        row.authorities_created.append(french_authority.name)

    foreign_key = (country.pk, fold(foreign[0]))
    foreign_authority = lookups.foreign.get(foreign_key)
    if foreign_authority is None:
        foreign_authority = foreign_authority_create(
            name=authority_name_of(foreign[0]),
            country=country,
            locality=foreign[0],
            latitude=foreign_lat,
            longitude=foreign_lng,
            source=Source.IMPORT,
            changed_by=changed_by,
        )
        row.authorities_created.append(foreign_authority.name)

    pair = (french_authority.pk, foreign_authority.pk)
    if pair in lookups.pairs:
        row.action = "existing"
        row.reason = _("This twinning is already recorded.")
        return
    # Remember the new authorities only once the row went through: a failed row rolls back.
    lookups.authority_of_commune[commune_pk] = french_authority
    lookups.foreign[foreign_key] = foreign_authority
    partnership = partnership_create(
        french_authority=french_authority,
        foreign_authority=foreign_authority,
        kind=Partnership.Kind.TWINNING,
        source=SOURCE,
        changed_by=changed_by,
    )
    lookups.pairs.add(pair)
    row.action = "created"
    row.partnership_id = partnership.pk
