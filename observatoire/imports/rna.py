"""The French associations register (RNA, "waldec" files) as a source of candidates.

Only associations whose social-object codes mark international action become candidates; they
are matched against the register by RNA number and SIRET, and wait for staff to qualify them.
Nothing is published from here: a created organisation is pending qualification.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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
BATCH_SIZE = 2000


@dataclass
class RnaSummary:
    rows: int = 0
    candidates: int = 0
    new: int = 0
    refreshed: int = 0
    matched: int = 0
    dissolved: int = 0


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _address(cells: dict[str, str]) -> str:
    parts = [
        cells.get("adrs_numvoie", ""),
        cells.get("adrs_repetition", ""),
        cells.get("adrs_typevoie", ""),
        cells.get("adrs_libvoie", ""),
    ]
    line = " ".join(p for p in parts if p)
    extra = " ".join(
        p for p in (cells.get("adrs_complement", ""), cells.get("adrs_distrib", "")) if p
    )
    return ", ".join(p for p in (line, extra) if p)[:500]


def import_rna(*, file: IO[bytes], progress: Callable[[int], None] | None = None) -> RnaSummary:
    """Read a waldec file and keep its international associations as candidates (atomic)."""
    info = reading.detect(file)
    if info.file_format != "csv":
        raise reading.ReadError(_("An RNA file is a CSV file separated by semicolons."))
    rows = reading.iter_rows(file, info)
    headers = [h.lower() for h in next(rows, [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        raise reading.ReadError(
            _("This is not an RNA (waldec) file: the columns %(columns)s are missing.")
            % {"columns": ", ".join(missing)}
        )
    position = {h: i for i, h in enumerate(headers)}
    summary = RnaSummary()
    by_rna: dict[str, int] = {}
    by_siret: dict[str, int] = {}
    for pk, rna, siret in Organization.objects.values_list("pk", "rna", "siret").iterator(5000):
        if rna:
            by_rna[rna] = pk
        if siret:
            by_siret[siret] = pk

    def candidates() -> Iterable[RnaCandidate]:
        for cells_list in rows:
            summary.rows += 1
            if progress is not None and summary.rows % 10000 == 0:
                progress(summary.rows)
            length = len(cells_list)
            codes = [
                cells_list[position[c]] if position.get(c, length) < length else ""
                for c in ("objet_social1", "objet_social2")
            ]
            if not INTERNATIONAL_CODES.intersection(codes):
                continue
            cells = {h: cells_list[i] if i < length else "" for h, i in position.items()}
            if cells.get("position", "A") == "D" or cells.get("date_disso", ""):
                summary.dissolved += 1
                continue
            rna = normalize_identifier(cells["id"])[:10]
            siret = normalize_identifier(cells.get("siret", ""))
            siret = siret if len(siret) == 14 and siret.isdigit() else ""
            matched = by_rna.get(rna) or (by_siret.get(siret) if siret else None)
            yield RnaCandidate(
                rna=rna,
                siret=siret,
                name=cells["titre"][:500],
                short_name=cells.get("titre_court", "")[:255],
                social_object=cells.get("objet", "")[:5000],
                object_codes=" ".join(c for c in codes if c)[:20],
                address=_address(cells),
                postal_code=cells.get("adrs_codepostal", "")[:10],
                commune_name=cells.get("adrs_libcommune", "")[:100],
                insee_code=cells.get("adrs_codeinsee", "")[:5],
                website=cells.get("siteweb", "")[:300],
                created_on=_date(cells.get("date_creat", "")),
                matched_organization_id=matched,
            )

    fields = [
        "siret", "name", "short_name", "social_object", "object_codes", "address", "postal_code",
        "commune_name", "insee_code", "website", "created_on", "matched_organization",
    ]  # fmt: skip
    with transaction.atomic():
        batch: list[RnaCandidate] = []

        def flush():
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
            RnaCandidate.objects.bulk_update(refreshed, fields)
            summary.new += len(fresh)
            summary.refreshed += len(refreshed)
            summary.matched += sum(1 for c in batch if c.matched_organization_id)
            batch.clear()

        seen: set[str] = set()
        for candidate in candidates():
            if candidate.rna in seen:
                continue  # a file repeating an association: the first line wins
            seen.add(candidate.rna)
            summary.candidates += 1
            batch.append(candidate)
            if len(batch) >= BATCH_SIZE:
                flush()
        if batch:
            flush()
    if progress is not None:
        progress(summary.rows)
    return summary


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
