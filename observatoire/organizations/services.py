"""Writes to the register. Every write is atomic, validated and recorded in the history."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from observatoire.core.text import fold

from .models import Affiliation, Consent, Organization, Person, PersonEmail


def organization_build_search_text(organization: Organization) -> str:
    """The folded text that back-office search matches: names, identifiers, town, contacts."""
    parts = [
        organization.name,
        organization.acronym,
        organization.siren,
        organization.siret,
        organization.rna,
        organization.iati_id,
        organization.postal_code,
        organization.public_email,
    ]
    if organization.commune_id:
        parts.append(organization.commune.name)
    if organization.pk:
        # Records merged into this one: their names and identifiers still find it.
        for merged in organization.merged_records.all():
            parts += [merged.name, merged.acronym, merged.siren, merged.siret, merged.rna]
        for affiliation in organization.affiliations.select_related("person"):
            if affiliation.person.erased_at is None:
                parts.append(f"{affiliation.person.first_name} {affiliation.person.last_name}")
    return fold(" ".join(p for p in parts if p))


def person_build_search_text(person: Person) -> str:
    """The folded text that back-office search matches for a person: names and e-mails."""
    parts = [person.first_name, person.last_name, person.job_title]
    if person.pk:
        parts += [email.address for email in person.emails.all()]
    return fold(" ".join(p for p in parts if p))


def organization_locate(organization: Organization) -> None:
    """Derive département, région and coordinates (unless set by hand) from the commune."""
    commune = organization.commune
    if commune is None:
        organization.departement = None
        organization.region = None
        if not organization.coordinates_overridden:
            organization.latitude = organization.longitude = None
        return
    organization.departement = commune.departement
    organization.region = commune.departement.region
    if not organization.coordinates_overridden:
        organization.latitude = commune.latitude
        organization.longitude = commune.longitude
    if not organization.postal_code and commune.postal_codes:
        organization.postal_code = commune.postal_codes.split()[0]


def organization_refresh_search_text(*, organization_ids: Iterable[int]) -> int:
    """Recompute the search text of these organisations; returns how many changed."""
    changed = 0
    queryset = (
        Organization.objects.filter(pk__in=list(organization_ids))
        .select_related("commune")
        .prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("person")),
            "merged_records",
        )
    )
    for organization in queryset:
        text = organization_build_search_text(organization)
        if text != organization.search_text:
            Organization.objects.filter(pk=organization.pk).update(search_text=text)
            changed += 1
    return changed


@transaction.atomic
def organization_save(
    *, organization: Organization, changed_by=None, reason: str = ""
) -> Organization:
    """Validate and save an organisation, deriving its place and search text."""
    organization_locate(organization)
    organization.full_clean(exclude=["search_text"])
    organization._history_user = changed_by
    if reason:
        organization._change_reason = reason
    organization.save()
    text = organization_build_search_text(organization)
    if text != organization.search_text:
        organization.search_text = text
        Organization.objects.filter(pk=organization.pk).update(search_text=text)
    return organization


@transaction.atomic
def organization_archive(*, organization: Organization, changed_by=None) -> Organization:
    """Archive instead of deleting: the record leaves lists and can be restored."""
    if organization.status == Organization.Status.ARCHIVED:
        return organization
    organization.status_before_archive = organization.status
    organization.status = Organization.Status.ARCHIVED
    organization.archived_at = timezone.now()
    organization._history_user = changed_by
    organization._change_reason = "archived"
    organization.save(
        update_fields=["status", "status_before_archive", "archived_at", "updated_at"]
    )
    return organization


@transaction.atomic
def organization_restore(*, organization: Organization, changed_by=None) -> Organization:
    """Undo an archiving: the organisation gets back the status it had."""
    if organization.status != Organization.Status.ARCHIVED:
        return organization
    organization.status = organization.status_before_archive or Organization.Status.DRAFT
    organization.status_before_archive = ""
    organization.archived_at = None
    organization._history_user = changed_by
    organization._change_reason = "restored"
    organization.save(
        update_fields=["status", "status_before_archive", "archived_at", "updated_at"]
    )
    return organization


@transaction.atomic
def person_save(*, person: Person, changed_by=None, reason: str = "") -> Person:
    """Validate and save a person and refresh the search text of their organisations."""
    person.full_clean(exclude=["search_text"])
    person._history_user = changed_by
    if reason:
        person._change_reason = reason
    person.save()
    person_refresh_search_text(person=person)
    return person


def person_refresh_search_text(*, person: Person) -> None:
    """Recompute the search text of a person and of the organisations they belong to."""
    text = person_build_search_text(person)
    if text != person.search_text:
        person.search_text = text
        Person.objects.filter(pk=person.pk).update(search_text=text)
    organization_refresh_search_text(
        organization_ids=person.affiliations.values_list("organization_id", flat=True)
    )


@transaction.atomic
def person_archive(*, person: Person, changed_by=None) -> Person:
    person.archived_at = timezone.now()
    person._history_user = changed_by
    person._change_reason = "archived"
    person.save(update_fields=["archived_at", "updated_at"])
    return person


@transaction.atomic
def person_restore(*, person: Person, changed_by=None) -> Person:
    person.archived_at = None
    person._history_user = changed_by
    person._change_reason = "restored"
    person.save(update_fields=["archived_at", "updated_at"])
    return person


@transaction.atomic
def consent_record(
    *,
    person: Person,
    purpose: str,
    granted: bool,
    source: str,
    wording: str,
    given_at: datetime.datetime | None = None,
    changed_by=None,
) -> Consent:
    """Record a consent given or withdrawn; earlier ones stay as the proof trail."""
    consent = Consent(
        person=person,
        purpose=purpose,
        granted=granted,
        source=source,
        wording=wording,
        given_at=given_at or timezone.now(),
    )
    consent.full_clean()
    consent._history_user = changed_by
    consent.save()
    return consent


@transaction.atomic
def person_add_email(*, person: Person, address: str, is_primary: bool = False) -> PersonEmail:
    email = PersonEmail(person=person, address=address.strip().lower(), is_primary=is_primary)
    email.full_clean()
    email.save()
    person_refresh_search_text(person=person)
    return email


def register_export_request(*, owner, target: str, query_string: str, file_format: str):
    """Queue an export too large to build during the request; the worker mails a link."""
    from .models import RegisterExport
    from .tasks import build_register_export

    export = RegisterExport.objects.create(
        owner=owner, target=target, query_string=query_string, file_format=file_format
    )
    transaction.on_commit(lambda: build_register_export.enqueue(str(export.pk)))
    return export


def register_export_build(*, export_id) -> int:
    """Write the export file, mark it ready and send the download link to its author."""
    from urllib.parse import parse_qsl

    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from observatoire.core.exports import rows_to_csv, rows_to_xlsx

    from .exports import organization_export_rows, person_export_rows
    from .models import RegisterExport, SavedSearch
    from .selectors import organization_filter, person_filter

    export = RegisterExport.objects.select_related("owner").get(pk=export_id)
    params = dict(parse_qsl(export.query_string))
    with override(settings.LANGUAGE_CODE):
        if export.target == SavedSearch.Target.PEOPLE:
            queryset = person_filter(Person.objects.filter(erased_at__isnull=True), params)
            headers, rows = person_export_rows(queryset.order_by("last_name", "pk"), export.owner)
        else:
            queryset = organization_filter(Organization.objects.all(), params)
            headers, rows = organization_export_rows(queryset.order_by("name", "pk"), export.owner)
        counted = []

        def counting(iterable):
            for row in iterable:
                counted.append(1)
                yield row

        if export.file_format == "xlsx":
            content = rows_to_xlsx(headers, counting(rows), title=export.get_target_display())
        else:
            content = rows_to_csv(headers, counting(rows))
        stamp = timezone.localtime(export.requested_at).strftime("%Y-%m-%d-%H%M")
        export.file.save(
            f"{export.target}-{stamp}.{export.file_format}", ContentFile(content), save=False
        )
        export.row_count = len(counted)
        export.state = RegisterExport.State.READY
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "row_count", "state", "finished_at"])
        link = settings.SITE_URL.rstrip("/") + reverse(
            "organizations:export_download", args=[export.pk]
        )
        send_mail(
            subject=_("Your export is ready"),
            message=_(
                "Hello,\n\nThe export you asked for (%(rows)d rows) is ready. "
                "Download it, after logging in, from:\n%(link)s\n"
            )
            % {"rows": export.row_count, "link": link},
            from_email=None,
            recipient_list=[export.owner.email],
        )
    return export.row_count
