"""Columns of the register's exports: labels, not codes, and only what the exporter may see.

Staff and administrators export everything. Any other reader (the observatory) gets:
- for organisations, blanks instead of the fields whose visibility is "staff only"
  (`Organization.field_visibility`, else `VISIBILITY_DEFAULTS`: the needs by default);
- for people, their e-mail addresses and phones only when a consent in force lets the network
  list or contact them (directory or targeted mailings); names, functions and affiliations stay.
"""

from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    VISIBILITY_DEFAULTS,
    Affiliation,
    Consent,
    Membership,
    Organization,
    Person,
    Visibility,
)

# Consents that allow giving a person's contact details to readers other than staff.
CONTACT_CONSENTS = {Consent.Purpose.DIRECTORY, Consent.Purpose.MAILINGS}


def _sees_everything(user) -> bool:
    from observatoire.accounts.access import can_edit_register

    return user is None or can_edit_register(user)


def _staff_only(organization: Organization, field: str) -> bool:
    visibility = (organization.field_visibility or {}).get(field, VISIBILITY_DEFAULTS.get(field))
    return visibility == Visibility.STAFF


def _names(items) -> str:
    return ", ".join(str(item) for item in items)


def organization_export_rows(
    queryset: QuerySet[Organization], user=None
) -> tuple[list[str], Iterator[list]]:
    """Headers and rows of an organisation export, with a fixed number of queries.

    `user` is who exports: fields they may not see are left blank (None: everything).
    """
    everything = _sees_everything(user)
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
    queryset = queryset.select_related("kind", "commune", "departement", "region")
    queryset = queryset.prefetch_related(None).prefetch_related(
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

            def seen(field: str, value, org=org):
                return value if everything or not _staff_only(org, field) else ""

            yield [
                org.name,
                seen("acronym", org.acronym),
                str(org.kind),
                seen("legal_form", org.get_legal_form_display() if org.legal_form else ""),
                org.get_status_display(),
                seen("siren", org.siren),
                seen("siret", org.siret),
                seen("rna", org.rna),
                seen(
                    "address_line1",
                    " ".join(p for p in (org.address_line1, org.address_line2) if p),
                ),
                org.postal_code,
                org.commune.name if org.commune else "",
                str(org.departement) if org.departement else "",
                str(org.region) if org.region else "",
                seen("website", org.website),
                seen("public_email", org.public_email),
                seen("phone", org.phone),
                seen("themes", _names(org.themes.all())),
                seen("sdgs", _names(org.sdgs.all())),
                seen("action_kinds", _names(org.action_kinds.all())),
                seen("countries", _names(org.countries.all())),
                seen("needs", _names(org.needs.all())),
                str(last.college) if last else "",
                bool(this_year and this_year.is_up_to_date),
                str(main) if main and main.erased_at is None else "",
                org.get_source_display(),
                org.created_at,
                org.updated_at,
            ]

    return headers, rows()


def person_export_rows(queryset: QuerySet[Person], user=None) -> tuple[list[str], Iterator[list]]:
    """Headers and rows of a people export: contact details and current affiliations.

    `user` is who exports: other readers than staff get contact details only with consent.
    """
    everything = _sees_everything(user)
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
    # The changelist's own prefetches would clash with these (same lookups, other querysets).
    queryset = queryset.prefetch_related(None).prefetch_related(
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
            contactable = everything or any(
                latest[p].granted  # type: ignore[attr-defined]
                for p in CONTACT_CONSENTS
                if p in latest
            )
            yield [
                person.last_name,
                person.first_name,
                person.job_title,
                ", ".join(e.address for e in person.emails.all()) if contactable else "",
                ", ".join(p.number for p in person.phones.all()) if contactable else "",
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


def membership_export_rows(queryset: QuerySet[Membership]) -> tuple[list[str], Iterator[list]]:
    """Headers and rows of a memberships export: one row per organisation and year."""
    headers = [
        _("Organisation"),
        _("SIRET"),
        _("RNA number"),
        _("Kind"),
        _("Département"),
        _("Year"),
        _("College"),
        _("Fee (EUR)"),
        _("Paid on"),
        _("Up to date on 31 December"),
    ]
    queryset = queryset.select_related("organization__kind", "organization__departement", "college")

    def rows() -> Iterator[list]:
        for membership in queryset.iterator(chunk_size=2000):
            organization = membership.organization
            yield [
                organization.name,
                organization.siret,
                organization.rna,
                str(organization.kind),
                str(organization.departement) if organization.departement else "",
                membership.year,
                str(membership.college),
                membership.fee_amount,
                membership.paid_on,
                membership.is_up_to_date,
            ]

    return headers, rows()
