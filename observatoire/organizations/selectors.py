"""Reads of the register shared by the back office, exports, saved searches and statistics."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qsl

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.core.search import filter_by_search_text
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    College,
    Country,
    Departement,
    Need,
    OrganizationKind,
    Theme,
)

from .models import Membership, Organization, Person, SavedSearch

SEARCH_PARAM = "q"


def organization_search(queryset: QuerySet[Organization], term: str) -> QuerySet[Organization]:
    """Organisations whose name, acronym, identifiers, town or contacts contain every word."""
    return filter_by_search_text(queryset, term)


def person_search(queryset: QuerySet[Person], term: str) -> QuerySet[Person]:
    """People whose names, function or e-mails contain every word."""
    return filter_by_search_text(queryset, term)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class RegisterFilter:
    """One filter of the register: its URL parameter, label, choices and how it narrows a list."""

    parameter: str
    label: str
    choices: Callable[[], list[tuple[str, str]]]
    apply: Callable[[QuerySet, str, Mapping[str, str]], QuerySet]


def _vocabulary_choices(model) -> Callable[[], list[tuple[str, str]]]:
    def choices() -> list[tuple[str, str]]:
        return [(str(item.pk), str(item)) for item in model.objects.all()]

    return choices


def _by_pk(field: str) -> Callable[[QuerySet, str, Mapping[str, str]], QuerySet]:
    def apply(queryset: QuerySet, value: str, params: Mapping[str, str]) -> QuerySet:
        pk = _int_or_none(value)
        if pk is None:
            return queryset.none()
        # Exists keeps one row per organisation where a join on a many-to-many would repeat it.
        through = Organization._meta.get_field(field)
        if through.many_to_many:
            model = through.remote_field.through
            source = f"{Organization._meta.model_name}_id"
            target = f"{through.remote_field.model._meta.model_name}_id"
            return queryset.filter(
                Exists(model.objects.filter(**{source: OuterRef("pk"), target: pk}))
            )
        return queryset.filter(**{f"{field}_id": pk})

    return apply


def _membership_year(params: Mapping[str, str]) -> int:
    return _int_or_none(params.get("member_year")) or timezone.localdate().year


def _apply_member_year(queryset: QuerySet, value: str, params: Mapping[str, str]) -> QuerySet:
    year = _int_or_none(value)
    return queryset.members(year) if year else queryset.none()


def _apply_membership_status(queryset: QuerySet, value: str, params: Mapping[str, str]) -> QuerySet:
    year = _membership_year(params)
    if value == "up_to_date":
        return queryset.members_up_to_date(year)
    if value == "unpaid":
        return queryset.members(year).exclude(pk__in=queryset.members_up_to_date(year).values("pk"))
    if value == "not_member":
        return queryset.exclude(pk__in=queryset.members(year).values("pk"))
    return queryset


def _apply_college(queryset: QuerySet, value: str, params: Mapping[str, str]) -> QuerySet:
    pk = _int_or_none(value)
    if pk is None:
        return queryset.none()
    memberships = Membership.objects.filter(organization=OuterRef("pk"), college_id=pk)
    if params.get("member_year"):
        memberships = memberships.filter(year=_membership_year(params))
    return queryset.filter(Exists(memberships))


def _apply_status(queryset: QuerySet, value: str, params: Mapping[str, str]) -> QuerySet:
    if value not in Organization.Status.values:
        return queryset.none()
    return queryset.filter(status=value)


def _apply_family(queryset: QuerySet, value: str, params: Mapping[str, str]) -> QuerySet:
    return queryset.filter(kind__family=value)


def _membership_years() -> list[tuple[str, str]]:
    years = Membership.objects.order_by("-year").values_list("year", flat=True).distinct()
    return [(str(year), str(year)) for year in years]


def _used_countries() -> list[tuple[str, str]]:
    used = Organization.countries.through.objects.values("country_id")
    return [(str(c.pk), c.name) for c in Country.objects.filter(pk__in=used)]


ORGANIZATION_FILTERS: list[RegisterFilter] = [
    RegisterFilter("status", _("status"), lambda: list(Organization.Status.choices), _apply_status),
    RegisterFilter(
        "family",
        _("family of organisation"),
        lambda: list(OrganizationKind.Family.choices),
        _apply_family,
    ),
    RegisterFilter("kind", _("kind"), _vocabulary_choices(OrganizationKind), _by_pk("kind")),
    RegisterFilter("member_year", _("member in"), _membership_years, _apply_member_year),
    RegisterFilter(
        "membership",
        _("membership (year chosen, or this year)"),
        lambda: [
            ("up_to_date", str(_("up to date on 31 December"))),
            ("unpaid", str(_("fee not paid"))),
            ("not_member", str(_("not a member"))),
        ],
        _apply_membership_status,
    ),
    RegisterFilter("college", _("college"), _vocabulary_choices(College), _apply_college),
    RegisterFilter(
        "departement",
        _("département"),
        lambda: [(str(d.pk), str(d)) for d in Departement.objects.all()],
        _by_pk("departement"),
    ),
    RegisterFilter("theme", _("theme"), _vocabulary_choices(Theme), _by_pk("themes")),
    RegisterFilter("sdg", _("SDG"), _vocabulary_choices(SDG), _by_pk("sdgs")),
    RegisterFilter("country", _("country of intervention"), _used_countries, _by_pk("countries")),
    RegisterFilter(
        "action_kind", _("kind of action"), _vocabulary_choices(ActionKind), _by_pk("action_kinds")
    ),
    RegisterFilter("need", _("need"), _vocabulary_choices(Need), _by_pk("needs")),
]

ORGANIZATION_FILTERS_BY_PARAMETER = {f.parameter: f for f in ORGANIZATION_FILTERS}


def organization_filter(
    queryset: QuerySet[Organization], params: Mapping[str, str]
) -> QuerySet[Organization]:
    """Apply the search term and every known filter found in `params` (a query string's values)."""
    for parameter, value in params.items():
        register_filter = ORGANIZATION_FILTERS_BY_PARAMETER.get(parameter)
        if register_filter is not None and value != "":
            queryset = register_filter.apply(queryset, value, params)
    term = params.get(SEARCH_PARAM, "")
    if term:
        queryset = organization_search(queryset, term)
    return queryset


def _apply_person_organization(queryset: QuerySet, value: str, params: Mapping[str, str]):
    pk = _int_or_none(value)
    return queryset.filter(affiliations__organization_id=pk).distinct() if pk else queryset.none()


def _apply_consent(queryset: QuerySet, value: str, params: Mapping[str, str]) -> QuerySet:
    from .models import Consent

    if value not in Consent.Purpose.values:
        return queryset.none()
    return queryset.filter(pk__in=people_consenting(purpose=value).values("pk"))


def _apply_person_state(queryset: QuerySet, value: str, params: Mapping[str, str]) -> QuerySet:
    if value == "active":
        return queryset.not_archived()
    if value == "archived":
        return queryset.filter(archived_at__isnull=False, erased_at__isnull=True)
    if value == "erased":
        return queryset.filter(erased_at__isnull=False)
    return queryset


def _apply_person_departement(queryset: QuerySet, value: str, params: Mapping[str, str]):
    pk = _int_or_none(value)
    if pk is None:
        return queryset.none()
    from .models import Affiliation

    return queryset.filter(
        Exists(Affiliation.objects.filter(person=OuterRef("pk"), organization__departement_id=pk))
    )


PERSON_FILTERS: list[RegisterFilter] = [
    RegisterFilter(
        "state",
        _("state"),
        lambda: [
            ("active", str(_("active"))),
            ("archived", str(_("archived"))),
            ("erased", str(_("anonymised"))),
        ],
        _apply_person_state,
    ),
    RegisterFilter(
        "consent",
        _("has consented to"),
        lambda: [(v, str(label)) for v, label in _consent_purposes()],
        _apply_consent,
    ),
    RegisterFilter(
        "departement",
        _("département of their organisation"),
        lambda: [(str(d.pk), str(d)) for d in Departement.objects.all()],
        _apply_person_departement,
    ),
]

PERSON_FILTERS_BY_PARAMETER = {f.parameter: f for f in PERSON_FILTERS}


def _consent_purposes():
    from .models import Consent

    return Consent.Purpose.choices


def person_filter(queryset: QuerySet[Person], params: Mapping[str, str]) -> QuerySet[Person]:
    """Apply the search term and the person filters found in `params`."""
    for parameter, value in params.items():
        register_filter = PERSON_FILTERS_BY_PARAMETER.get(parameter)
        if register_filter is not None and value != "":
            queryset = register_filter.apply(queryset, value, params)
    if parameter_org := params.get("organization"):
        queryset = _apply_person_organization(queryset, parameter_org, params)
    term = params.get(SEARCH_PARAM, "")
    if term:
        queryset = person_search(queryset, term)
    return queryset


def people_consenting(*, purpose: str) -> QuerySet[Person]:
    """People whose latest consent for `purpose` is a grant (withdrawals win when more recent)."""
    from .models import Consent

    latest = (
        Consent.objects.filter(person=OuterRef("pk"), purpose=purpose)
        .order_by("-given_at", "-pk")
        .values("granted")[:1]
    )
    return (
        Person.objects.not_archived()
        .filter(Q(Exists(Consent.objects.filter(person=OuterRef("pk"), purpose=purpose))))
        .annotate(_latest_granted=latest)
        .filter(_latest_granted=True)
    )


def saved_search_params(saved_search: SavedSearch) -> dict[str, str]:
    return dict(parse_qsl(saved_search.query_string, keep_blank_values=False))


def saved_search_queryset(saved_search: SavedSearch) -> QuerySet:
    """The records a saved search designates today (it is re-evaluated each time)."""
    params = saved_search_params(saved_search)
    if saved_search.target == SavedSearch.Target.PEOPLE:
        return person_filter(Person.objects.all(), params)
    return organization_filter(Organization.objects.all(), params)


def saved_searches_for_user(user, *, target: str) -> QuerySet[SavedSearch]:
    """The saved searches a user sees: their own and those shared with the team."""
    return SavedSearch.objects.filter(target=target).filter(Q(owner=user) | Q(is_shared=True))


def organization_field_visible(organization: Organization, field: str, audience: str) -> bool:
    """Whether `audience` (public, members or staff) may see `field` of this organisation."""
    from .models import VISIBILITY_DEFAULTS, Visibility

    ranks = {Visibility.PUBLIC: 0, Visibility.MEMBERS: 1, Visibility.STAFF: 2}
    level = organization.field_visibility.get(
        field, VISIBILITY_DEFAULTS.get(field, Visibility.PUBLIC)
    )
    return ranks.get(audience, 0) >= ranks.get(level, 2)


@dataclass(frozen=True)
class TimelineEntry:
    when: object
    kind: str
    title: str
    detail: str
    who: str
    url: str = ""


def _display_value(field, value) -> str:
    """A historical value as staff read it: labels for choices and names for relations."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _describe_change(record, change) -> str:
    model = record.instance_type
    field = model._meta.get_field(change.field)
    if field.many_to_many:
        key = field.related_model._meta.model_name
        # With foreign_keys_are_objs the rows hold instances; without it, primary keys.
        old = {getattr(row[key], "pk", row[key]) for row in change.old or []}
        new = {getattr(row[key], "pk", row[key]) for row in change.new or []}
        names = field.related_model.objects.in_bulk(old | new)
        added = ", ".join(str(names[pk]) for pk in sorted(new - old) if pk in names)
        removed = ", ".join(str(names[pk]) for pk in sorted(old - new) if pk in names)
        parts = [f"+ {added}" if added else "", f"− {removed}" if removed else ""]
        return f"{field.verbose_name}: " + " ".join(p for p in parts if p)
    return (
        f"{field.verbose_name}: « {_display_value(field, change.old)} » → "
        f"« {_display_value(field, change.new)} »"
    )


def _history_entries(history_queryset, label) -> list[TimelineEntry]:
    entries = []
    previous_by_id: dict = {}
    records = list(history_queryset.select_related("history_user").order_by("history_date"))
    for record in records:
        previous = previous_by_id.get(record.id)
        previous_by_id[record.id] = record
        changes = ""
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            changes = " ; ".join(_describe_change(record, c) for c in delta.changes)
            if not changes and record.history_type == "~" and not record.history_change_reason:
                continue  # a save that changed nothing visible
        entries.append(
            TimelineEntry(
                when=record.history_date,
                kind="history",
                title=f"{label} — {record.get_history_type_display()}",
                detail=changes or (record.history_change_reason or ""),
                who=str(record.history_user) if record.history_user else "",
            )
        )
    return entries


def organization_timeline(organization: Organization, *, limit: int = 60) -> list[TimelineEntry]:
    """Interactions and recorded changes of an organisation, newest first."""
    from django.urls import reverse

    entries = [
        TimelineEntry(
            when=i.occurred_at,
            kind=i.kind,
            title=f"{i.get_kind_display()} — {i.subject}",
            detail=i.notes,
            who=str(i.staff_member) if i.staff_member else "",
            url=reverse("admin:organizations_interaction_change", args=[i.pk]),
        )
        for i in organization.interactions.select_related("staff_member")[:limit]
    ]
    entries += _history_entries(organization.history.all(), str(Organization._meta.verbose_name))
    entries += _history_entries(
        Membership.history.filter(organization_id=organization.pk),
        str(Membership._meta.verbose_name),
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def person_timeline(person: Person, *, limit: int = 60) -> list[TimelineEntry]:
    """Interactions and recorded changes of a person, newest first."""
    from django.urls import reverse

    entries = [
        TimelineEntry(
            when=i.occurred_at,
            kind=i.kind,
            title=f"{i.get_kind_display()} — {i.subject}",
            detail=i.notes,
            who=str(i.staff_member) if i.staff_member else "",
            url=reverse("admin:organizations_interaction_change", args=[i.pk]),
        )
        for i in person.interactions.select_related("staff_member")[:limit]
    ]
    entries += _history_entries(person.history.all(), str(Person._meta.verbose_name))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def register_key_figures(*, year: int | None = None) -> dict[str, int]:
    """The figures shown on the home page: organisations listed, members, countries covered."""
    year = year or timezone.localdate().year
    qualified = Organization.objects.qualified()
    return {
        "year": year,
        "organizations": qualified.count(),
        "members": Organization.objects.not_archived().members_up_to_date(year).count(),
        "countries": Organization.countries.through.objects.filter(
            organization__status=Organization.Status.QUALIFIED
        )
        .values("country_id")
        .distinct()
        .count(),
    }


# Figures of the observatory ----------------------------------------------------------------


def organization_college(*, year: int) -> Coalesce:
    """The college of an organisation in `year`: its membership's that year, else the default
    college of its kind ("" when neither is known)."""
    membership = Membership.objects.filter(organization=OuterRef("pk"), year=year).order_by()
    return Coalesce(
        Subquery(membership.values("college__slug")[:1]),
        F("kind__default_college__slug"),
        Value(""),
        output_field=CharField(),
    )


def organizations_in_scope(
    *, year: int, departement: str = "", kind: str = "", college: str = ""
) -> QuerySet[Organization]:
    """Organisations of the register (not archived, not merged) of a département (code), a kind
    (slug) and a college (slug, as `organization_college` of `year` gives it); "" = any."""
    queryset = Organization.objects.not_archived().filter(merged_into__isnull=True)
    if departement:
        queryset = queryset.filter(departement__code=departement)
    if kind:
        queryset = queryset.filter(kind__slug=kind)
    if college:
        queryset = queryset.alias(college_slug=organization_college(year=year)).filter(
            college_slug=college
        )
    return queryset


def membership_figures(*, organizations: QuerySet[Organization], year: int) -> dict:
    """Members up to date for `year` (fee paid by 31 December) among `organizations`, the fees
    they paid, and both per département code and per college slug: `{key: (members, fees)}`."""
    memberships = Membership.objects.up_to_date(year).filter(
        organization__in=organizations.values("pk")
    )
    totals = memberships.aggregate(members=Count("pk"), fees=Sum("fee_amount"))

    def grouped(field: str) -> dict[str, tuple[int, Decimal]]:
        rows = (
            memberships.order_by()
            .values(field)
            .annotate(members=Count("pk"), fees=Sum("fee_amount"))
            .values_list(field, "members", "fees")
        )
        return {key or "": (members, fees or Decimal(0)) for key, members, fees in rows}

    return {
        "up_to_date": totals["members"],
        "fees_total": totals["fees"] or Decimal(0),
        "by_departement": grouped("organization__departement__code"),
        "by_college": grouped("college__slug"),
    }
