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

from django.db import transaction
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


def _rows(file: IO[bytes], summary: RnaSummary, encoding: str, delimiter: str):
    """(line number, cells) of each row a waldec file holds, the header first.

    A waldec record is one line: each line is decoded and split on its own, so that a byte
    foreign to the encoding or a quote left open spoils its row only, which is reported.
    """
    file.seek(0)
    for number, raw in enumerate(file, 1):
        if not raw.strip():
            continue
        summary.rows += 1
        try:
            line = raw.decode(encoding)
        except UnicodeDecodeError as error:
            summary.reject(
                number,
                "encoding",
                _("Line %(line)s: a character is not %(encoding)s (byte %(byte)s of the line).")
                % {"line": number, "encoding": encoding, "byte": error.start + 1},
            )
            continue
        line = line.rstrip("\r\n")
        if '"' not in line:
            yield number, line.split(delimiter)
            continue
        try:
            yield number, next(csv.reader((line,), delimiter=delimiter, strict=True))
        except csv.Error:
            summary.reject(
                number,
                "quote",
                _("Line %(line)s: a quote opens a cell and does not close it.") % {"line": number},
            )


def import_rna(*, file: IO[bytes], progress: Callable[[int], None] | None = None) -> RnaSummary:
    """Read a waldec file and keep its international associations as candidates (atomic).

    Every row is checked (encoding, quotes, number of columns, RNA number, dates); a row that
    fails is left out and counted in the summary with its reason, the others go on.
    """
    info = reading.detect(file)
    if info.file_format != "csv":
        raise reading.ReadError(_("An RNA file is a CSV file separated by semicolons."))
    summary = RnaSummary()
    encoding = _encoding(file, info)
    rows = _rows(file, summary, encoding, info.delimiter)
    header = next(rows, (0, []))[1]
    summary.rows = 0  # the header was counted
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

    id_at, code1_at, code2_at = at["id"], at["objet_social1"], at.get("objet_social2")
    created_at, dissolved_at, position_at = (
        at.get("date_creat"),
        at.get("date_disso"),
        at.get("position"),
    )

    def candidates() -> Iterable[RnaCandidate]:
        for number, cells in rows:
            if progress is not None and summary.rows % 10000 == 0:
                progress(summary.rows)
            if len(cells) != width:
                if len(cells) < width or any(c.strip() for c in cells[width:]):
                    summary.reject(
                        number,
                        "columns",
                        _("Line %(line)s: %(count)s columns instead of %(expected)s.")
                        % {"line": number, "count": len(cells), "expected": width},
                    )
                    continue
            rna = cells[id_at].strip()
            if not RNA_NUMBER.fullmatch(rna):
                rna = normalize_identifier(rna)
                if not RNA_NUMBER.fullmatch(rna):
                    summary.reject(
                        number,
                        "rna",
                        _("Line %(line)s: “%(value)s” is not an RNA number.")
                        % {"line": number, "value": cells[id_at].strip()[:20]},
                    )
                    continue
            created = cells[created_at].strip() if created_at is not None else ""
            dissolved = cells[dissolved_at].strip() if dissolved_at is not None else ""
            if not (_valid_date(created) and _valid_date(dissolved)):
                summary.reject(
                    number,
                    "date",
                    _("Line %(line)s: “%(value)s” is not a date (YYYY-MM-DD).")
                    % {"line": number, "value": created if not _valid_date(created) else dissolved},
                )
                continue
            code1 = cells[code1_at].strip()
            code2 = cells[code2_at].strip() if code2_at is not None else ""
            if code1 not in INTERNATIONAL_CODES and code2 not in INTERNATIONAL_CODES:
                continue
            position = cells[position_at].strip() if position_at is not None else "A"
            if position == "D" or dissolved:
                summary.dissolved += 1
                continue
            siret = normalize_identifier(cell(cells, "siret", 100))
            siret = siret if len(siret) == 14 and siret.isdigit() else ""
            matched = by_rna.get(rna) or (by_siret.get(siret) if siret else None)
            yield RnaCandidate(
                rna=rna,
                siret=siret,
                name=cells[at["titre"]].strip()[:500],
                short_name=cell(cells, "titre_court", 255),
                social_object=cell(cells, "objet", 5000),
                object_codes=" ".join(c for c in (code1, code2) if c)[:20],
                address=_address(cells, at),
                postal_code=cell(cells, "adrs_codepostal", 10),
                commune_name=cell(cells, "adrs_libcommune", 100),
                insee_code=cell(cells, "adrs_codeinsee", 5),
                website=cell(cells, "siteweb", 300),
                created_on=_date(created),
                matched_organization_id=matched,
            )

    with transaction.atomic():
        seen: set[str] = set()
        batch: list[RnaCandidate] = []
        for candidate in candidates():
            if candidate.rna in seen:
                summary.repeated += 1
                continue  # a file repeating an association: the first line wins
            seen.add(candidate.rna)
            summary.candidates += 1
            batch.append(candidate)
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


def _save(batch: list[RnaCandidate], summary: RnaSummary) -> None:
    """Create the new candidates, refresh the known ones (their state and match are kept)."""
    known = RnaCandidate.objects.in_bulk([c.rna for c in batch], field_name="rna")
    fresh = [c for c in batch if c.rna not in known]
    RnaCandidate.objects.bulk_create(fresh)
    refreshed = []
    for candidate in batch:
        old = known.get(candidate.rna)
        if old is None:
            continue
        candidate.pk, candidate.state = old.pk, old.state
        if not candidate.matched_organization_id:
            candidate.matched_organization_id = old.matched_organization_id
        refreshed.append(candidate)
    RnaCandidate.objects.bulk_update(refreshed, UPDATED_FIELDS)
    summary.new += len(fresh)
    summary.refreshed += len(refreshed)
    summary.matched += sum(1 for c in batch if c.matched_organization_id)


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
