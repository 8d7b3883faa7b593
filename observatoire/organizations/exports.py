"""Columns of the register's exports: labels, not codes."""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Affiliation, Membership, Organization, Person


def _names(items) -> str:
    return ", ".join(str(item) for item in items)


def organization_export_rows(queryset: QuerySet[Organization]) -> tuple[list[str], Iterator[list]]:
    """Headers and rows of an organisation export, with a fixed number of queries."""
    year = timezone.localdate().year
    headers = [
        _("Name"),
        _("Acronym"),
        _("Kind"),
        _("Legal form"),
        _("Status"),
        _("SIREN"),
        _("SIRET"),
        _("RNA number"),
        _("Address"),
        _("Postal code"),
        _("Commune"),
        _("Département"),
        _("Region"),
        _("Website"),
        _("Public e-mail"),
        _("Phone"),
        _("Themes"),
        _("SDGs"),
        _("Kinds of action"),
        _("Countries of intervention"),
        _("Needs"),
        _("College (last membership)"),
        _("Up to date on 31 December %(year)s") % {"year": year},
        _("Main contact"),
        _("Source"),
        _("Created"),
        _("Updated"),
    ]
    queryset = queryset.select_related("kind", "commune", "departement", "region").prefetch_related(
        "themes",
        "sdgs",
        "action_kinds",
        "countries",
        "needs",
        Prefetch("memberships", queryset=Membership.objects.select_related("college")),
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.filter(is_main_contact=True).select_related("person"),
            to_attr="main_affiliations",
        ),
    )

    def rows() -> Iterator[list]:
        for org in queryset.iterator(chunk_size=2000):
            memberships = list(org.memberships.all())
            last = memberships[0] if memberships else None
            this_year = next((m for m in memberships if m.year == year), None)
            main = org.main_affiliations[0].person if org.main_affiliations else None
            yield [
                org.name,
                org.acronym,
                str(org.kind),
                org.get_legal_form_display() if org.legal_form else "",
                org.get_status_display(),
                org.siren,
                org.siret,
                org.rna,
                " ".join(p for p in (org.address_line1, org.address_line2) if p),
                org.postal_code,
                org.commune.name if org.commune else "",
                str(org.departement) if org.departement else "",
                str(org.region) if org.region else "",
                org.website,
                org.public_email,
                org.phone,
                _names(org.themes.all()),
                _names(org.sdgs.all()),
                _names(org.action_kinds.all()),
                _names(org.countries.all()),
                _names(org.needs.all()),
                str(last.college) if last else "",
                bool(this_year and this_year.is_up_to_date),
                str(main) if main and main.erased_at is None else "",
                org.get_source_display(),
                org.created_at,
                org.updated_at,
            ]

    return headers, rows()


def person_export_rows(queryset: QuerySet[Person]) -> tuple[list[str], Iterator[list]]:
    """Headers and rows of a people export: contact details and current affiliations."""
    headers = [
        _("Last name"),
        _("First name"),
        _("Function"),
        _("E-mail addresses"),
        _("Phones"),
        _("Organisations"),
        _("Consents in force"),
        _("Source"),
        _("Created"),
    ]
    queryset = queryset.prefetch_related(
        "emails",
        "phones",
        "consents",
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
    )

    def rows() -> Iterator[list]:
        for person in queryset.iterator(chunk_size=2000):
            latest: dict[str, object] = {}
            for consent in sorted(person.consents.all(), key=lambda c: (c.given_at, c.pk)):
                latest[consent.purpose] = consent
            yield [
                person.last_name,
                person.first_name,
                person.job_title,
                ", ".join(e.address for e in person.emails.all()),
                ", ".join(p.number for p in person.phones.all()),
                "; ".join(
                    f"{a.organization.name} ({a.role})" if a.role else a.organization.name
                    for a in person.affiliations.all()
                ),
                ", ".join(
                    c.get_purpose_display()
                    for c in latest.values()
                    if c.granted  # type: ignore[attr-defined]
                ),
                person.get_source_display(),
                person.created_at,
            ]

    return headers, rows()
