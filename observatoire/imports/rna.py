"""The French associations register (RNA, "waldec" files) as a source of candidates.

Only associations whose social-object codes mark international action become candidates; they
are matched against the register by RNA number and SIRET, and wait for staff to qualify them.
Nothing is published from here: a created organisation is pending qualification.
"""

import csv
import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.core.validators import normalize_identifier
from observatoire.organizations.models import Organization, Source
from observatoire.organizations.services import organization_save
from observatoire.referentials.models import OrganizationKind
from observatoire.referentials.selectors import commune_find

from . import reading
from .models import RnaCandidate

# Social-object codes of the RNA nomenclature that mark international actors
# (see the shared data README): charities acting internationally, humanitarian and development
# aid, twinning and international exchanges, associations of people from one country, aid to
# refugees, education to environment and sustainable development.
INTERNATIONAL_CODES = frozenset({"020020", "020000", "009050", "014040", "019025", "024050"})
REQUIRED_COLUMNS = ("id", "titre", "objet_social1")
BATCH_SIZE = 5000
RNA_NUMBER = re.compile(r"W[0-9A-Z]{9}")  # as validate_rna, without an exception per row


MAX_EXAMPLES = 50


@dataclass
class RnaSummary:
    rows: int = 0
    candidates: int = 0
    new: int = 0
    refreshed: int = 0
    matched: int = 0
    dissolved: int = 0
    repeated: int = 0
    malformed: int = 0
    # Reason code -> rows left out for it, and the first few (line number, message) to show.
    problems: dict[str, int] = field(default_factory=dict)
    examples: list[tuple[int, str]] = field(default_factory=list)

    def reject(self, line: int, code: str, message: str) -> None:
        self.malformed += 1
        self.problems[code] = self.problems.get(code, 0) + 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append((line, message))


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _valid_date(value: str) -> bool:
    if not value:
        return True
    try:
        datetime.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _address(cells: list[str], at: dict[str, int]) -> str:
    def cell(name: str) -> str:
        return cells[at[name]].strip() if name in at else ""

    names = ("adrs_numvoie", "adrs_repetition", "adrs_typevoie", "adrs_libvoie")
    line = " ".join(p for p in map(cell, names) if p)
    extra = " ".join(p for p in (cell("adrs_complement"), cell("adrs_distrib")) if p)
    return ", ".join(p for p in (line, extra) if p)[:500]


def _encoding(file: IO[bytes], info: reading.FileInfo) -> str:
    """The file's encoding, told by most lines: a few broken rows must not turn UTF-8 into 1252."""
    if info.encoding != "cp1252":
        return info.encoding
    file.seek(0)
    lines = file.read(reading.SAMPLE_SIZE).splitlines()[:-1]  # the last one may be cut
    file.seek(0)
    utf8 = cp1252 = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 += 1
        except UnicodeDecodeError:
            cp1252 += 1
    return "utf-8" if utf8 > cp1252 else "cp1252"


def _split(line: str, number: int, delimiter: str, summary: RnaSummary) -> list[str] | None:
    """The cells of a line holding quotes; None (reported) when a quote opens and never closes."""
    try:
        return next(csv.reader((line,), delimiter=delimiter, strict=True))
    except csv.Error:
        summary.reject(
            number,
            "quote",
            _("Line %(line)s: a quote opens a cell and does not close it.") % {"line": number},
        )
        return None


# The candidate's columns, in the order the reader yields their values.
FIELDS = (
    "rna", "siret", "name", "short_name", "social_object", "object_codes", "address",
    "postal_code", "commune_name", "insee_code", "website", "created_on",
    "matched_organization_id",
)  # fmt: skip


def import_rna(*, file: IO[bytes], progress: Callable[[int], None] | None = None) -> RnaSummary:
    """Read a waldec file and keep its international associations as candidates (atomic).

    Every row is checked (encoding, quotes, number of columns, RNA number, dates); a row that
    fails is left out and counted in the summary with its reason, the others go on. A waldec
    record is one line: each line is decoded and split on its own, so that a byte foreign to
    the encoding or a quote left open spoils its row only.
    """
    info = reading.detect(file)
    if info.file_format != "csv":
        raise reading.ReadError(_("An RNA file is a CSV file separated by semicolons."))
    summary = RnaSummary()
    encoding, delimiter = _encoding(file, info), info.delimiter
    file.seek(0)
    lines = enumerate(file, 1)
    header: list[str] = []
    for number, raw in lines:
        if raw.strip():
            line = raw.decode(encoding, errors="replace").rstrip("\r\n")
            header = (
                _split(line, number, delimiter, summary) or []
                if '"' in line
                else line.split(delimiter)
            )
            break
    headers = [h.strip().lower().lstrip("\ufeff") for h in header]
    while headers and not headers[-1]:
        headers.pop()
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise reading.ReadError(
            _("This is not an RNA (waldec) file: the columns %(columns)s are missing.")
            % {"columns": ", ".join(missing)}
        )
    at = {h: i for i, h in enumerate(headers)}
    width = len(headers)
    by_rna: dict[str, int] = {}
    by_siret: dict[str, int] = {}
    for pk, rna, siret in Organization.objects.values_list("pk", "rna", "siret").iterator(5000):
        if rna:
            by_rna[rna] = pk
        if siret:
            by_siret[siret] = pk

    def cell(cells: list[str], name: str, length: int) -> str:
        return cells[at[name]].strip()[:length] if name in at else ""

    id_at, code1_at, code2_at = at["id"], at["objet_social1"], at.get("objet_social2", -1)
    created_at, dissolved_at = at.get("date_creat", -1), at.get("date_disso", -1)
    position_at = at.get("position", -1)
    codes = INTERNATIONAL_CODES
    fullmatch = RNA_NUMBER.fullmatch

    def candidates() -> Iterable[tuple]:
        # The hot loop of a 2,000,000-row file: kept flat, and a row that is not an
        # international association is checked but never turned into a dict or an object.
        for number, raw in lines:
            if len(raw) < 3 and not raw.strip():
                continue
            summary.rows += 1
            if progress is not None and summary.rows % 10000 == 0:
                progress(summary.rows)
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as error:
                summary.reject(
                    number,
                    "encoding",
                    _("Line %(line)s: a character is not %(encoding)s (byte %(byte)s).")
                    % {"line": number, "encoding": encoding, "byte": error.start + 1},
                )
                continue
            line = line.rstrip("\r\n")
            if '"' in line:
                cells = _split(line, number, delimiter, summary)
                if cells is None:
                    continue
            else:
                cells = line.split(delimiter)
            if len(cells) != width and (
                len(cells) < width or any(c.strip() for c in cells[width:])
            ):
                summary.reject(
                    number,
                    "columns",
                    _("Line %(line)s: %(count)s columns instead of %(expected)s.")
                    % {"line": number, "count": len(cells), "expected": width},
                )
                continue
            rna = cells[id_at]
            if not fullmatch(rna):
                rna = normalize_identifier(rna)
                if not fullmatch(rna):
                    summary.reject(
                        number,
                        "rna",
                        _("Line %(line)s: “%(value)s” is not an RNA number.")
                        % {"line": number, "value": cells[id_at].strip()[:20]},
                    )
                    continue
            created = cells[created_at].strip() if created_at >= 0 else ""
            dissolved = cells[dissolved_at].strip() if dissolved_at >= 0 else ""
            if (created and not _valid_date(created)) or (dissolved and not _valid_date(dissolved)):
                summary.reject(
                    number,
                    "date",
                    _("Line %(line)s: “%(value)s” is not a date (YYYY-MM-DD).")
                    % {"line": number, "value": created if not _valid_date(created) else dissolved},
                )
                continue
            code1 = cells[code1_at].strip()
            code2 = cells[code2_at].strip() if code2_at >= 0 else ""
            if code1 not in codes and code2 not in codes:
                continue
            if dissolved or (position_at >= 0 and cells[position_at].strip() == "D"):
                summary.dissolved += 1
                continue
            siret = normalize_identifier(cell(cells, "siret", 100))
            siret = siret if len(siret) == 14 and siret.isdigit() else ""
            yield (
                rna,
                siret,
                cells[at["titre"]].strip()[:500],
                cell(cells, "titre_court", 255),
                cell(cells, "objet", 5000),
                " ".join(c for c in (code1, code2) if c)[:20],
                _address(cells, at),
                cell(cells, "adrs_codepostal", 10),
                cell(cells, "adrs_libcommune", 100),
                cell(cells, "adrs_codeinsee", 5),
                cell(cells, "siteweb", 300),
                _date(created),
                by_rna.get(rna) or (by_siret.get(siret) if siret else None),
            )

    def unique() -> Iterable[tuple]:
        seen: set[str] = set()
        for values in candidates():
            if values[0] in seen:
                summary.repeated += 1
                continue  # a file repeating an association: the first line wins
            seen.add(values[0])
            summary.candidates += 1
            yield values

    with transaction.atomic():
        if connection.vendor == "postgresql":
            _save_by_copy(unique(), summary)
        else:
            batch: list[tuple] = []
            for values in unique():
                batch.append(values)
                if len(batch) >= BATCH_SIZE:
                    _save(batch, summary)
                    batch.clear()
            if batch:
                _save(batch, summary)
    if progress is not None:
        progress(summary.rows)
    return summary


UPDATED_FIELDS = [
    "siret", "name", "short_name", "social_object", "object_codes", "address", "postal_code",
    "commune_name", "insee_code", "website", "created_on", "matched_organization",
]  # fmt: skip


def _save(batch: list[tuple], summary: RnaSummary) -> None:
    """Create the new candidates, refresh the known ones (their state and match are kept)."""
    known = RnaCandidate.objects.in_bulk([values[0] for values in batch], field_name="rna")
    fresh, refreshed = [], []
    for values in batch:
        candidate = RnaCandidate(**dict(zip(FIELDS, values, strict=True)))
        old = known.get(candidate.rna)
        if old is None:
            fresh.append(candidate)
            continue
        candidate.pk, candidate.state = old.pk, old.state
        if not candidate.matched_organization_id:
            candidate.matched_organization_id = old.matched_organization_id
        refreshed.append(candidate)
    RnaCandidate.objects.bulk_create(fresh)
    RnaCandidate.objects.bulk_update(refreshed, UPDATED_FIELDS)
    summary.new += len(fresh)
    summary.refreshed += len(refreshed)
    summary.matched += sum(1 for c in fresh + refreshed if c.matched_organization_id)


def _save_by_copy(rows: Iterable[tuple], summary: RnaSummary) -> None:
    """PostgreSQL: COPY every candidate into a staging table, then one upsert (same rules)."""
    table = RnaCandidate._meta.db_table
    columns = ", ".join(FIELDS)
    updates = ", ".join(
        f"{name} = EXCLUDED.{name}" for name in FIELDS[1:-1]
    )  # the match is kept when the file no longer gives one
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS rna_staging ON COMMIT DROP "
            f"AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        cursor.execute("TRUNCATE rna_staging")
        with cursor.copy(f"COPY rna_staging ({columns}) FROM STDIN") as copy:
            for values in rows:
                copy.write_row(values)
        cursor.execute(
            f"WITH written AS ("
            f" INSERT INTO {table} ({columns}, state, imported_at)"
            f" SELECT {columns}, %s, %s FROM rna_staging"
            f" ON CONFLICT (rna) DO UPDATE SET {updates}, matched_organization_id = "
            f"COALESCE(EXCLUDED.matched_organization_id, {table}.matched_organization_id)"
            f" RETURNING (xmax = 0) AS inserted, matched_organization_id)"
            f" SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted),"
            f" count(matched_organization_id) FROM written",
            [RnaCandidate.State.NEW, timezone.now()],
        )
        new, refreshed, matched = cursor.fetchone()
    summary.new += new
    summary.refreshed += refreshed
    summary.matched += matched


@transaction.atomic
def candidates_create(*, candidates, changed_by=None) -> int:
    """Create each new candidate as an organisation pending qualification, through the service."""
    kind = OrganizationKind.objects.get(slug="association")
    count = 0
    for candidate in candidates.filter(state=RnaCandidate.State.NEW):
        organization = Organization(
            name=candidate.name[:255],
            acronym=candidate.short_name[:50] if candidate.short_name != candidate.name else "",
            kind=kind,
            legal_form=Organization.LegalForm.ASSOCIATION,
            rna=candidate.rna,
            siret=candidate.siret,
            siren=candidate.siret[:9],
            description=candidate.social_object,
            address_line1=candidate.address[:255],
            postal_code=candidate.postal_code,
            status=Organization.Status.PENDING,
            source=Source.IMPORT,
        )
        # A few selected candidates: one query each beats loading every commune.
        organization.commune = commune_find(
            postal_code=candidate.postal_code,
            name=candidate.commune_name,
            insee_code=candidate.insee_code,
        )
        if candidate.website:
            website = candidate.website
            organization.website = website if "://" in website else f"https://{website}"
        try:
            organization_save(organization=organization, changed_by=changed_by, reason="RNA import")
        except Exception:  # noqa: BLE001 (a candidate whose data the register refuses)
            organization.website = ""
            organization_save(organization=organization, changed_by=changed_by, reason="RNA import")
        candidate.matched_organization = organization
        candidate.state = RnaCandidate.State.CREATED
        candidate.save(update_fields=["matched_organization", "state"])
        count += 1
    return count


@transaction.atomic
def candidates_link(*, candidates, changed_by=None) -> tuple[int, int]:
    """Link candidates to their matching organisation, filling its empty RNA number and SIRET."""
    linked = without = 0
    for candidate in candidates.filter(state=RnaCandidate.State.NEW).select_related(
        "matched_organization"
    ):
        organization = candidate.matched_organization
        if organization is None:
            without += 1
            continue
        changed = False
        for name in ("rna", "siret"):
            if not getattr(organization, name) and getattr(candidate, name):
                setattr(organization, name, getattr(candidate, name))
                changed = True
        if changed:
            organization_save(organization=organization, changed_by=changed_by, reason="RNA")
        candidate.state = RnaCandidate.State.LINKED
        candidate.save(update_fields=["state"])
        linked += 1
    return linked, without
