"""The published projects as IATI 2.03 activities (docs/open-data.md explains the choices).

Streamed with `lxml.etree.xmlfile`: each activity is built, written and dropped, so the file of a
national register never sits in memory. The tests validate it against the official schema
shipped in `schemas/iati/`.
"""

import datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.utils import timezone
from lxml import etree

from observatoire.organizations.models import Organization
from observatoire.organizations.selectors import organization_field_visible
from observatoire.projects.models import IATI_ACTIVITY_STATUS, ProjectPartner
from observatoire.referentials.models import OrganizationKind

from .datasets import PUBLIC, coordinate, project_chunks, project_field_visible

SCHEMA_DIR = Path(__file__).parent / "schemas" / "iati"
Family = OrganizationKind.Family

# IATI OrganisationType by family of organisation.
ORGANISATION_TYPE = {
    Family.ASSOCIATION: "22",  # National NGO
    Family.LOCAL_AUTHORITY: "11",  # Local Government
    Family.EDUCATION: "80",  # Academic, Training and Research
    Family.ECONOMIC: "70",  # Private Sector
    Family.OTHER: "90",  # Other
}
COMPANY_FORMS = {Organization.LegalForm.COMPANY, Organization.LegalForm.COOPERATIVE}
# ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end.
DATE_TYPES = (
    ("planned_start", "1"),
    ("actual_start", "2"),
    ("planned_end", "3"),
    ("actual_end", "4"),
)
SRS_NAME = "http://www.opengis.net/def/crs/EPSG/0/4326"


def network_identifier() -> str:
    """The network's own IATI identifier, and the prefix of those it gives (docs/open-data.md)."""
    return settings.OPEN_DATA_IDENTIFIER_PREFIX


def organization_identifier(
    *, pk: int, family: str, legal_form: str, siren: str, rna: str, iati_id: str, visibility: dict
) -> str:
    """FR-INSEE/FR-RCS from the SIREN where known and public, else the network's own scheme."""
    holder = SimpleNamespace(field_visibility=visibility or {})

    def public(name: str, value: str) -> str:
        return value if value and organization_field_visible(holder, name, PUBLIC) else ""

    if iati := public("iati_id", iati_id):
        return iati
    if siren := public("siren", siren):
        is_company = family == Family.ECONOMIC or legal_form in COMPANY_FORMS
        return f"FR-RCS-{siren}" if is_company else f"FR-INSEE-{siren}"
    if rna := public("rna", rna):
        return f"{network_identifier()}-RNA-{rna}"
    return f"{network_identifier()}-ORG-{pk}"


def activity_identifier(project_pk: int) -> str:
    return f"{network_identifier()}-PROJ-{project_pk}"


def _narrative(parent, text: str, lang: str | None = None):
    element = etree.SubElement(parent, "narrative")
    if lang:
        element.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    element.text = text
    return element


def _percentages(count: int) -> list[str]:
    """Equal shares that add up to exactly 100 (IATI wants the splits to)."""
    if count <= 1:
        return [""] * count
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    return [str(share)] * (count - 1) + [str(Decimal(100) - share * (count - 1))]


def _partner_element(activity, partner: dict) -> None:
    element = etree.SubElement(
        activity,
        "participating-org",
        ref=organization_identifier(
            pk=partner["organization_id"],
            family=partner["organization__kind__family"],
            legal_form=partner["organization__legal_form"],
            siren=partner["organization__siren"],
            rna=partner["organization__rna"],
            iati_id=partner["organization__iati_id"],
            visibility=partner["organization__field_visibility"],
        ),
        role=partner["iati_role"] or "4",
        type=ORGANISATION_TYPE.get(partner["organization__kind__family"], "90"),
    )
    _narrative(element, partner["organization__name"])


def activity_element(project, related: dict, *, generated: datetime.date):
    """The `iati-activity` of one published project, with what its public page shows."""

    def shown(name: str) -> bool:
        return project_field_visible(project, name, PUBLIC)

    activity = etree.Element(
        "iati-activity",
        {
            "{http://www.w3.org/XML/1998/namespace}lang": "fr",
            "default-currency": "EUR",
            "last-updated-datetime": project.updated_at.astimezone(datetime.UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
        },
    )
    etree.SubElement(activity, "iati-identifier").text = activity_identifier(project.pk)
    reporting = etree.SubElement(activity, "reporting-org", ref=network_identifier(), type="22")
    _narrative(reporting, settings.NETWORK_NAME)
    _narrative(etree.SubElement(activity, "title"), project.title)
    summary = (project.summary if shown("summary") else "") or project.title
    _narrative(etree.SubElement(activity, "description", type="1"), summary)

    partners = []
    if shown("partners"):
        partners += [
            p
            for p in related["partners"].get(project.pk, [])
            if p["role"] != ProjectPartner.Role.FUNDER
        ]
    if shown("funders"):
        partners += [
            p
            for p in related["partners"].get(project.pk, [])
            if p["role"] == ProjectPartner.Role.FUNDER
        ]
    for partner in partners:
        _partner_element(activity, partner)
    if not partners:
        # IATI needs one participating organisation: the network that records the activity.
        element = etree.SubElement(
            activity, "participating-org", ref=network_identifier(), role="2", type="22"
        )
        _narrative(element, settings.NETWORK_NAME)

    etree.SubElement(activity, "activity-status", code=IATI_ACTIVITY_STATUS[project.phase])
    dates = [
        (code, getattr(project, name))
        for name, code in DATE_TYPES
        if shown("dates") and getattr(project, name)
    ]
    if not dates:
        # IATI needs a date: without a public one, the day the network recorded the project.
        dates = [("1", timezone.localdate(project.created_at))]
    for code, value in dates:
        etree.SubElement(activity, "activity-date", type=code, **{"iso-date": value.isoformat()})

    countries = related["countries"].get(project.pk, [])
    for code, share in zip(countries, _percentages(len(countries)), strict=True):
        element = etree.SubElement(activity, "recipient-country", code=code)
        if share:
            element.set("percentage", share)
    if shown("places"):
        for place in related["places"].get(project.pk, []):
            location = etree.SubElement(activity, "location")
            _narrative(etree.SubElement(location, "name"), place.name)
            if place.latitude is not None and place.longitude is not None:
                point = etree.SubElement(location, "point", srsName=SRS_NAME)
                etree.SubElement(
                    point, "pos"
                ).text = f"{coordinate(place.latitude)} {coordinate(place.longitude)}"
    sectors = related["dac_sectors"].get(project.pk, [])
    for code, share in zip(sectors, _percentages(len(sectors)), strict=True):
        element = etree.SubElement(activity, "sector", vocabulary="1", code=code)
        if share:
            element.set("percentage", share)
    for number in related["sdgs"].get(project.pk, []):
        etree.SubElement(activity, "tag", vocabulary="2", code=str(number))

    budget = related["budgets"].get(project.pk)
    start = project.actual_start or project.planned_start
    end = project.actual_end or project.planned_end
    if budget is not None and shown("dates") and start and end and start <= end:
        element = etree.SubElement(activity, "budget", type="1", status="1")
        etree.SubElement(element, "period-start", **{"iso-date": start.isoformat()})
        etree.SubElement(element, "period-end", **{"iso-date": end.isoformat()})
        value = etree.SubElement(
            element, "value", currency="EUR", **{"value-date": generated.isoformat()}
        )
        value.text = str(budget)
    return activity


def write_iati(path: Path) -> int:
    """Write every published project as an IATI activity; return how many."""
    now = timezone.now()
    count = 0
    with etree.xmlfile(str(path), encoding="utf-8") as document:
        document.write_declaration()
        attributes = {
            "version": "2.03",
            "generated-datetime": now.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        with document.element("iati-activities", attributes):
            for chunk, related in project_chunks():
                for project in chunk:
                    document.write(activity_element(project, related, generated=now.date()))
                    count += 1
    return count


def iati_schema() -> etree.XMLSchema:
    """The official IATI 2.03 activity schema (shipped with the app, read from disk)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))
