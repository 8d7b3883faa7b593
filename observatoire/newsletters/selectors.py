"""Reads of the mailing lists: who a campaign reaches, counts and exports."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import parse_qsl

from django.db.models import Count, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from observatoire.organizations.models import Affiliation, Consent, Organization, PersonEmail
from observatoire.organizations.selectors import organization_filter

from .models import HASH_PREFIX, MailingList, Subscription, Suppression, address_hash

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Recipient:
    address: str  # lower-cased, validated
    first_name: str
    last_name: str
    organization_name: str
    person_id: int | None
    subscription_id: int | None  # None for register contacts reached through a dynamic list
    tracking_allowed: bool  # the recipient consented to open/click measurement


class _Suppressed:
    """The active suppression list, read once: plain addresses and hashes of erased ones."""

    def __init__(self) -> None:
        entries = set(Suppression.objects.active().values_list("address", flat=True))
        self.plain = {e for e in entries if not e.startswith(HASH_PREFIX)}
        self.hashed = entries - self.plain

    def __contains__(self, address: str) -> bool:
        return address in self.plain or (bool(self.hashed) and address_hash(address) in self.hashed)


def list_params(mailing_list: MailingList) -> dict[str, str]:
    """The register filters a dynamic list saved, as a dict of query parameters."""
    return dict(parse_qsl(mailing_list.filter_query or "", keep_blank_values=False))


def dynamic_organizations(params: Mapping[str, str]) -> QuerySet[Organization]:
    """The organisations a dynamic list's saved search designates today (merged ones left out)."""
    return organization_filter(Organization.objects.filter(merged_into__isnull=True), params)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK_SIZE):
        yield ids[start : start + CHUNK_SIZE]


def _dynamic_rows(mailing_list: MailingList) -> Iterator[tuple]:
    """(person_id, address, first name, last name, organisation) of a dynamic list's contacts:
    people with a granted latest consent for the list's purpose, their main address (or the
    first one), one row per person.

    A few plain queries by chunks of ids rather than one query with correlated subqueries:
    PostgreSQL planned that one as a nested loop that ran for minutes on the demo network."""
    organization_ids = list(
        dynamic_organizations(list_params(mailing_list)).values_list("pk", flat=True)
    )
    # Each person's organisation: a main contact's first, then by name.
    contacts: list[tuple[int, bool, str]] = []
    for chunk in _chunks(organization_ids):
        affiliations = Affiliation.objects.current().filter(
            organization_id__in=chunk,
            person__archived_at__isnull=True,
            person__erased_at__isnull=True,
        )
        if mailing_list.reach == MailingList.Reach.MAIN_CONTACTS:
            affiliations = affiliations.filter(is_main_contact=True)
        contacts += affiliations.values_list("person_id", "is_main_contact", "organization__name")
    organization_of: dict[int, str] = {}
    for person_id, _is_main, name in sorted(contacts, key=lambda r: (r[0], not r[1], r[2])):
        organization_of.setdefault(person_id, name)
    # The latest consent for the list's purpose decides (a withdrawal wins when more recent).
    consenting: list[int] = []
    for chunk in _chunks(sorted(organization_of)):
        consents = (
            Consent.objects.filter(person_id__in=chunk, purpose=mailing_list.purpose)
            .order_by("person_id", "-given_at", "-pk")
            .values_list("person_id", "granted")
        )
        for person_id, rows in groupby(consents, key=lambda r: r[0]):
            if next(rows)[1]:
                consenting.append(person_id)
    for chunk in _chunks(consenting):
        emails = (
            PersonEmail.objects.filter(person_id__in=chunk)
            .order_by("person_id", "-is_primary", "address")
            .values_list("person_id", Lower("address"), "person__first_name", "person__last_name")
        )
        for person_id, rows in groupby(emails, key=lambda r: r[0]):
            yield (*next(rows), organization_of[person_id])


def _static_subscriptions(lists: list[MailingList]) -> QuerySet[Subscription]:
    """Confirmed subscriptions of these lists, minus people erased, archived, or whose latest
    consent in the register for the list's purpose is a withdrawal."""
    latest = (
        Consent.objects.filter(
            person_id=OuterRef("person_id"), purpose=OuterRef("mailing_list__purpose")
        )
        .order_by("-given_at", "-pk")
        .values("granted")[:1]
    )
    return (
        Subscription.objects.filter(mailing_list__in=lists, status=Subscription.Status.CONFIRMED)
        .filter(
            Q(person__isnull=True)
            | Q(person__archived_at__isnull=True, person__erased_at__isnull=True)
        )
        .annotate(latest_consent=latest)
        # No consent in the register (or no person): the subscription's own consent stands.
        .filter(Q(latest_consent__isnull=True) | Q(latest_consent=True))
    )


def recipients(*, lists: Iterable[MailingList]) -> Iterator[Recipient]:
    """Every address reachable through these lists, once, suppressed addresses left out."""
    lists = [m for m in lists]
    suppressed = _Suppressed()
    seen: set[str] = set()
    static = [m for m in lists if m.kind == MailingList.Kind.STATIC]
    if static:
        rows = (
            _static_subscriptions(static)
            .order_by("address", "pk")
            .values_list(
                "address",
                "first_name",
                "last_name",
                "organization_name",
                "person_id",
                "pk",
                "tracking_allowed",
            )
        )
        for address, group in groupby(rows.iterator(chunk_size=CHUNK_SIZE), key=lambda r: r[0]):
            group = list(group)
            if address in suppressed:
                continue
            seen.add(address)
            first = group[0]
            yield Recipient(
                address=address,
                first_name=first[1],
                last_name=first[2],
                organization_name=first[3],
                person_id=next((r[4] for r in group if r[4]), None),
                subscription_id=first[5],
                # Measured only where every list it came through was consented to.
                tracking_allowed=all(r[6] for r in group),
            )
    for mailing_list in lists:
        if mailing_list.kind != MailingList.Kind.DYNAMIC:
            continue
        for person_id, address, first_name, last_name, organization in _dynamic_rows(mailing_list):
            if address in seen or address in suppressed:
                continue
            seen.add(address)
            yield Recipient(
                address=address,
                first_name=first_name,
                last_name=last_name,
                organization_name=organization or "",
                person_id=person_id,
                subscription_id=None,
                tracking_allowed=False,
            )


def recipient_count(*, mailing_list: MailingList) -> int:
    """How many addresses the list reaches today (consented, not suppressed, once each)."""
    return sum(1 for _ in recipients(lists=[mailing_list]))


def lists_with_counts(*, include_archived: bool = False) -> QuerySet[MailingList]:
    """The lists with their subscriptions counted by status (dynamic lists count none)."""
    queryset = MailingList.objects.all() if include_archived else MailingList.objects.active()
    status = Subscription.Status
    return queryset.annotate(
        confirmed=Count("subscriptions", filter=Q(subscriptions__status=status.CONFIRMED)),
        pending=Count("subscriptions", filter=Q(subscriptions__status=status.PENDING)),
        unsubscribed=Count("subscriptions", filter=Q(subscriptions__status=status.UNSUBSCRIBED)),
    )


def subscriptions_of(
    *, mailing_list: MailingList, term: str = "", status: str = ""
) -> QuerySet[Subscription]:
    """A list's subscriptions, filtered by words (address, names, organisation) and status."""
    queryset = mailing_list.subscriptions.select_related("person").order_by("address")
    if status in Subscription.Status.values:
        queryset = queryset.filter(status=status)
    for word in term.split():
        queryset = queryset.filter(
            Q(address__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(organization_name__icontains=word)
        )
    return queryset


def describe_filters(mailing_list: MailingList) -> list[tuple[str, str]]:
    """(label, value) of a dynamic list's saved search, for people to read."""
    from observatoire.organizations.selectors import ORGANIZATION_FILTERS_BY_PARAMETER

    described = []
    for parameter, value in list_params(mailing_list).items():
        register_filter = ORGANIZATION_FILTERS_BY_PARAMETER.get(parameter)
        if register_filter is None:
            if parameter == "q":
                described.append((str(_("words")), value))
            continue
        label = dict(register_filter.choices()).get(value, value)
        described.append((str(register_filter.label), str(label)))
    return described
