"""The open datasets: what the public may reuse, as plain rows, read in chunks of ids.

Each builder yields one dict per record, with lists for multi-valued columns (the writers join
them for CSV and XLSX). They read the register by ranges of primary keys: one query for the
records of a chunk, one per related table for the whole chunk, never one per record, so an
export of a national register (200,000 organisations) runs in constant memory.

Only what a visitor of the public pages sees goes out: the portal's own rules decide it
(`organization_field_visible`, `project_field_visible`, the directory consent of contacts).
"""

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Max, Min, QuerySet, Sum
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from observatoire.core.bulk import grouped_by_owner, id_range
from observatoire.events.models import Event, Sitting
from observatoire.finance.models import BudgetAmount, BudgetVersion
from observatoire.organizations.models import (
    VISIBILITY_DEFAULTS,
    Affiliation,
    InterventionPlace,
    Organization,
    Visibility,
)
from observatoire.organizations.selectors import organization_field_visible
from observatoire.partnerships.models import Partnership
from observatoire.portal.index import listed_organizations
from observatoire.portal.records import people_listed_in_directory, project_field_visible
from observatoire.projects.models import Project, ProjectPartner, ProjectPlace
from observatoire.referentials.models import Country, OrganizationKind, Theme

PUBLIC = Visibility.PUBLIC.value
CHUNK_SIZE = 2000
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, date, datetime, year
    description: str
    required: bool = False
    # Several values in one cell: a JSON array in JSON, joined with LIST_SEPARATOR elsewhere.
    is_list: bool = False


LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Dataset:
    name: str  # the file name without its extension
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[], Iterator[dict]]
    primary_key: str | list[str] = "id"
    foreign_keys: list[dict] = field(default_factory=list)


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _chunks(queryset: QuerySet, size: int = CHUNK_SIZE) -> Iterator[list]:
    """The rows of `queryset` by ascending primary key, `size` at a time (keyset pagination)."""
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["pk"] if isinstance(chunk[-1], dict) else chunk[-1].pk


def _codes(model, field: str, code: str, ids: list[int]) -> dict[int, list]:
    """{owner id: [codes]} of the many-to-many `field` of `model`, sorted; the small vocabulary
    is read once and joined here, so the database reads the link table alone."""
    relation = model._meta.get_field(field)
    vocabulary = relation.remote_field.model
    labels = dict(vocabulary.objects.values_list("pk", code))
    through = relation.remote_field.through
    owner = f"{model._meta.model_name}_id"
    target = f"{vocabulary._meta.model_name}_id"
    grouped: dict[int, list] = defaultdict(list)
    for owner_id, target_id in through.objects.filter(**id_range(owner, ids)).values_list(
        owner, target
    ):
        grouped[owner_id].append(labels[target_id])
    for values in grouped.values():
        values.sort()
    return grouped


def coordinate(value) -> float | None:
    return None if value is None else round(float(value), 5)


# Organisations ----------------------------------------------------------------------------------


ORGANIZATION_COLUMNS = [
    Column("id", "integer", _("Identifier of the organisation in these files."), required=True),
    Column("name", "string", _("Name."), required=True),
    Column("acronym", "string", _("Acronym.")),
    Column("kind", "string", _("Kind of organisation (code of the thesaurus)."), required=True),
    Column("kind_family", "string", _("Family: association, local_authority, education, …")),
    Column("legal_form", "string", _("Legal form (code).")),
    Column("siren", "string", _("SIREN number (9 digits).")),
    Column("siret", "string", _("SIRET number of the seat (14 digits).")),
    Column("rna", "string", _("RNA number of an association (W and 9 digits).")),
    Column("iati_id", "string", _("IATI organisation identifier.")),
    Column("description", "string", _("What the organisation does.")),
    Column("website", "string", _("Website.")),
    Column("public_email", "string", _("Public e-mail address of the organisation.")),
    Column("phone", "string", _("Phone of the organisation, where it made it public.")),
    Column("address", "string", _("Street address of the seat.")),
    Column("postal_code", "string", _("Postal code of the seat.")),
    Column("commune_insee", "string", _("INSEE code of the commune of the seat.")),
    Column("commune", "string", _("Commune of the seat.")),
    Column("departement", "string", _("INSEE code of the département of the seat.")),
    Column("region", "string", _("INSEE code of the region of the seat.")),
    Column("seat_country", "string", _("ISO 3166-1 alpha-2 code of the seat, when abroad.")),
    Column("latitude", "number", _("Latitude of the seat (WGS 84).")),
    Column("longitude", "number", _("Longitude of the seat (WGS 84).")),
    Column("themes", "string", _("Themes of action (codes)."), is_list=True),
    Column("sdgs", "string", _("Sustainable Development Goals (numbers 1 to 17)."), is_list=True),
    Column(
        "countries", "string", _("Countries of intervention (ISO 3166-1 alpha-2)."), is_list=True
    ),
    Column("action_kinds", "string", _("Kinds of action (codes)."), is_list=True),
    Column("places", "string", _("Localities of intervention abroad."), is_list=True),
    Column("url", "string", _("Public page of the organisation."), required=True),
]


def seat_coordinates(row: dict, *, address_shown: bool, prefix: str = ""):
    """Where the public maps place an organisation: the seat, or its commune's centre when the
    coordinates were set by hand on an address it keeps hidden (as `maps.selectors` does)."""
    latitude, longitude = row[f"{prefix}latitude"], row[f"{prefix}longitude"]
    if latitude is None or (row[f"{prefix}coordinates_overridden"] and not address_shown):
        latitude = row[f"{prefix}commune__latitude"]
        longitude = row[f"{prefix}commune__longitude"]
    if latitude is None or longitude is None:
        return None, None
    return coordinate(latitude), coordinate(longitude)


ORGANIZATION_VALUES = [
    "pk",
    "slug",
    "name",
    "acronym",
    "kind__slug",
    "kind__family",
    "legal_form",
    "siren",
    "siret",
    "rna",
    "iati_id",
    "description",
    "website",
    "public_email",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
    "commune__insee_code",
    "commune__name",
    "commune__latitude",
    "commune__longitude",
    "departement__code",
    "region__code",
    "seat_country__iso2",
    "latitude",
    "longitude",
    "coordinates_overridden",
    "field_visibility",
]
# The fields an organisation chooses to show; its needs are never published.
CHOSEN_FIELDS = [field for field in VISIBILITY_DEFAULTS if field != "needs"]


def public_fields(field_visibility: dict, cache: dict) -> dict[str, bool]:
    """{field: shown to the public} for this visibility setting, through the portal's rule.

    Most organisations keep the defaults: the answer is computed once per distinct setting."""
    key = tuple(sorted((field_visibility or {}).items()))
    if key not in cache:
        holder = SimpleNamespace(field_visibility=field_visibility or {})
        cache[key] = {f: organization_field_visible(holder, f, PUBLIC) for f in CHOSEN_FIELDS}
    return cache[key]


def _organization_row(row: dict, related: dict, shown: dict[str, bool], url: str) -> dict:
    def value(name: str):
        return row[name] if shown[name] else ""

    pk = row["pk"]
    address_shown = shown["address_line1"]
    latitude, longitude = seat_coordinates(row, address_shown=address_shown)
    address = ", ".join(
        part for name in ("address_line1", "address_line2") if (part := value(name))
    )
    return {
        "id": pk,
        "name": row["name"],
        "acronym": value("acronym"),
        "kind": row["kind__slug"],
        "kind_family": row["kind__family"],
        "legal_form": value("legal_form"),
        "siren": value("siren"),
        "siret": value("siret"),
        "rna": value("rna"),
        "iati_id": value("iati_id"),
        "description": value("description"),
        "website": value("website"),
        "public_email": value("public_email"),
        "phone": value("phone"),
        "address": address,
        "postal_code": row["postal_code"] if address_shown else "",
        "commune_insee": row["commune__insee_code"] or "",
        "commune": row["commune__name"] or "",
        "departement": row["departement__code"] or "",
        "region": row["region__code"] or "",
        "seat_country": row["seat_country__iso2"] or "",
        "latitude": latitude,
        "longitude": longitude,
        "themes": related["themes"].get(pk, []) if shown["themes"] else [],
        "sdgs": related["sdgs"].get(pk, []) if shown["sdgs"] else [],
        "countries": related["countries"].get(pk, []) if shown["countries"] else [],
        "action_kinds": related["action_kinds"].get(pk, []) if shown["action_kinds"] else [],
        "places": related["places"].get(pk, []) if shown["places"] else [],
        "url": url.replace(SLUG_PLACEHOLDER, row["slug"]),
    }


SLUG_PLACEHOLDER = "--slug--"


def organization_rows() -> Iterator[dict]:
    """One row per listed organisation, with the fields it shows the public and nothing else."""
    url = absolute_url(reverse("portal:organization", args=[SLUG_PLACEHOLDER]))
    cache: dict = {}
    for chunk in _chunks(listed_organizations().values(*ORGANIZATION_VALUES)):
        ids = [row["pk"] for row in chunk]
        related = {
            "themes": _codes(Organization, "themes", "slug", ids),
            "sdgs": _codes(Organization, "sdgs", "number", ids),
            "countries": _codes(Organization, "countries", "iso2", ids),
            "action_kinds": _codes(Organization, "action_kinds", "slug", ids),
            "places": grouped_by_owner(
                InterventionPlace.objects.all(), "organization_id", "name", ids
            ),
        }
        for row in chunk:
            shown = public_fields(row["field_visibility"], cache)
            yield _organization_row(row, related, shown, url)


CONTACT_COLUMNS = [
    Column("id", "integer", _("Identifier of the contact in this file."), required=True),
    Column(
        "organization_id",
        "integer",
        _("The organisation (id of organisations.csv)."),
        required=True,
    ),
    Column("first_name", "string", _("First name.")),
    Column("last_name", "string", _("Last name."), required=True),
    Column("role", "string", _("Role at the organisation.")),
    Column("is_main_contact", "boolean", _("Main contact of the organisation.")),
]


def contact_rows() -> Iterator[dict]:
    """People named on the public pages: current role, and a directory consent in force."""
    for chunk in _chunks(listed_organizations().values("pk")):
        listed = {row["pk"] for row in chunk}
        affiliations = [
            affiliation
            for affiliation in Affiliation.objects.current()
            .filter(**id_range("organization_id", list(listed)))
            .filter(person__archived_at__isnull=True, person__erased_at__isnull=True)
            .order_by("organization_id", "-is_main_contact", "person__last_name", "pk")
            .values(
                "pk",
                "organization_id",
                "person_id",
                "person__first_name",
                "person__last_name",
                "role",
                "is_main_contact",
            )
            if affiliation["organization_id"] in listed
        ]
        consenting = people_listed_in_directory({a["person_id"] for a in affiliations})
        for affiliation in affiliations:
            if affiliation["person_id"] in consenting:
                yield {
                    "id": affiliation["pk"],
                    "organization_id": affiliation["organization_id"],
                    "first_name": affiliation["person__first_name"],
                    "last_name": affiliation["person__last_name"],
                    "role": affiliation["role"],
                    "is_main_contact": affiliation["is_main_contact"],
                }


# Projects ---------------------------------------------------------------------------------------


PROJECT_COLUMNS = [
    Column("id", "integer", _("Identifier of the project in these files."), required=True),
    Column("title", "string", _("Title."), required=True),
    Column("acronym", "string", _("Short name.")),
    Column("summary", "string", _("Summary.")),
    Column(
        "phase",
        "string",
        _("Phase: emergence, construction, implementation, completed, suspended."),
    ),
    Column("planned_start", "date", _("Planned start.")),
    Column("planned_end", "date", _("Planned end.")),
    Column("actual_start", "date", _("Actual start.")),
    Column("actual_end", "date", _("Actual end.")),
    Column("countries", "string", _("Countries (ISO 3166-1 alpha-2)."), is_list=True),
    Column("themes", "string", _("Themes (codes)."), is_list=True),
    Column("sdgs", "string", _("Sustainable Development Goals (numbers)."), is_list=True),
    Column("dac_sectors", "string", _("OECD DAC sectors (5-digit codes)."), is_list=True),
    Column("places", "string", _("Places where the project acts."), is_list=True),
    Column("lead", "string", _("Lead partner.")),
    Column("lead_id", "integer", _("Lead partner (id of organisations.csv), when it is listed.")),
    Column("partners", "string", _("Other partners."), is_list=True),
    Column("funders", "string", _("Funders."), is_list=True),
    Column(
        "budget_eur", "number", _("Budget in force, in euros, where the project made it public.")
    ),
    Column("url", "string", _("Public page of the project."), required=True),
]


def _project_related(ids: list[int]) -> dict:
    partners: dict[int, list[dict]] = defaultdict(list)
    for partner in (
        ProjectPartner.objects.filter(project__in=ids)
        .order_by("project_id", "organization__name", "pk")
        .values(
            "project_id",
            "role",
            "iati_role",
            "organization_id",
            "organization__name",
            "organization__status",
            "organization__slug",
            "organization__merged_into",
            "organization__siren",
            "organization__rna",
            "organization__iati_id",
            "organization__kind__family",
            "organization__legal_form",
            "organization__field_visibility",
        )
    ):
        partners[partner["project_id"]].append(partner)
    places: dict[int, list[ProjectPlace]] = defaultdict(list)
    for place in ProjectPlace.objects.filter(project__in=ids).select_related("country"):
        places[place.project_id].append(place)
    return {
        "countries": _codes(Project, "countries", "iso2", ids),
        "themes": _codes(Project, "themes", "slug", ids),
        "sdgs": _codes(Project, "sdgs", "number", ids),
        "dac_sectors": _codes(Project, "dac_sectors", "code", ids),
        "partners": partners,
        "places": places,
        "url": absolute_url(reverse("portal:project", args=[SLUG_PLACEHOLDER])),
    }


def project_budgets(projects: list[Project]) -> dict[int, Decimal]:
    """Total in EUR of the budget in force (the last version) of each project, in two queries."""
    last: dict[int, tuple[int, int]] = {}
    versions = BudgetVersion.objects.filter(project__in=[p.pk for p in projects])
    for project_id, version_id, number in versions.values_list("project_id", "pk", "number"):
        if project_id not in last or number > last[project_id][1]:
            last[project_id] = (version_id, number)
    project_of = {version_id: project_id for project_id, (version_id, _n) in last.items()}
    totals = {project_id: Decimal("0.00") for project_id in last}
    amounts = (
        BudgetAmount.objects.filter(version__in=list(project_of))
        .values("version_id")
        .annotate(total=Sum("amount_eur"))
        .order_by()
    )
    for row in amounts:
        totals[project_of[row["version_id"]]] = Decimal(row["total"] or 0).quantize(CENT)
    return totals


def project_chunks() -> Iterator[tuple[list[Project], dict]]:
    """Published projects, a chunk at a time, with their related rows read for the chunk."""
    for chunk in _chunks(Project.objects.published()):
        related = _project_related([p.pk for p in chunk])
        related["budgets"] = project_budgets(
            [p for p in chunk if project_field_visible(p, "budget", PUBLIC)]
        )
        yield chunk, related


def partner_is_listed(partner: dict) -> bool:
    return (
        partner["organization__status"] == Organization.Status.QUALIFIED
        and bool(partner["organization__slug"])
        and partner["organization__merged_into"] is None
    )


def _project_row(project: Project, related: dict) -> dict:
    def shown(name: str) -> bool:
        return project_field_visible(project, name, PUBLIC)

    pk = project.pk
    partners = related["partners"].get(pk, []) if shown("partners") else []
    lead = next((p for p in partners if p["role"] == ProjectPartner.Role.LEAD), None)
    funders = related["partners"].get(pk, []) if shown("funders") else []
    dates = shown("dates")
    return {
        "id": pk,
        "title": project.title,
        "acronym": project.acronym,
        "summary": project.summary if shown("summary") else "",
        "phase": project.phase,
        "planned_start": project.planned_start if dates else None,
        "planned_end": project.planned_end if dates else None,
        "actual_start": project.actual_start if dates else None,
        "actual_end": project.actual_end if dates else None,
        "countries": related["countries"].get(pk, []),
        "themes": related["themes"].get(pk, []),
        "sdgs": related["sdgs"].get(pk, []),
        "dac_sectors": related["dac_sectors"].get(pk, []),
        "places": [p.name for p in related["places"].get(pk, [])] if shown("places") else [],
        "lead": lead["organization__name"] if lead else "",
        "lead_id": lead["organization_id"] if lead and partner_is_listed(lead) else None,
        "partners": [
            p["organization__name"]
            for p in partners
            if p["role"] not in (ProjectPartner.Role.LEAD, ProjectPartner.Role.FUNDER)
        ],
        "funders": [
            p["organization__name"] for p in funders if p["role"] == ProjectPartner.Role.FUNDER
        ],
        "budget_eur": related["budgets"].get(pk),
        "url": related["url"].replace(SLUG_PLACEHOLDER, project.slug),
    }


def project_rows() -> Iterator[dict]:
    """One row per published project, with the fields it shows the public."""
    for chunk, related in project_chunks():
        for project in chunk:
            yield _project_row(project, related)


PLACE_COLUMNS = [
    Column("id", "integer", _("Identifier of the place."), required=True),
    Column("project_id", "integer", _("The project (id of projects.csv)."), required=True),
    Column("name", "string", _("Locality."), required=True),
    Column("country", "string", _("Country (ISO 3166-1 alpha-2)."), required=True),
    Column("latitude", "number", _("Latitude (WGS 84).")),
    Column("longitude", "number", _("Longitude (WGS 84).")),
]


def _place_row(project: Project, place: ProjectPlace) -> dict:
    return {
        "id": place.pk,
        "project_id": project.pk,
        "name": place.name,
        "country": place.country.iso2,
        "latitude": coordinate(place.latitude),
        "longitude": coordinate(place.longitude),
    }


def project_rows_with_places() -> Iterator[tuple[Project, dict, list[dict]]]:
    """Each published project, its public row and the places it shows the public."""
    for chunk, related in project_chunks():
        for project in chunk:
            places = (
                [_place_row(project, p) for p in related["places"].get(project.pk, [])]
                if project_field_visible(project, "places", PUBLIC)
                else []
            )
            yield project, _project_row(project, related), places


def project_place_rows() -> Iterator[dict]:
    """The places of published projects that show them."""
    for _project, _row, places in project_rows_with_places():
        yield from places


# Partnerships -----------------------------------------------------------------------------------


PARTNERSHIP_COLUMNS = [
    Column("id", "integer", _("Identifier of the partnership."), required=True),
    Column("french_authority", "string", _("French local authority."), required=True),
    Column("french_authority_kind", "string", _("Its kind (code of the thesaurus).")),
    Column(
        "french_authority_level", "string", _("Its level: commune, epci, departement, region, …")
    ),
    Column("departement", "string", _("INSEE code of its département.")),
    Column("foreign_authority", "string", _("Partner authority abroad."), required=True),
    Column("country", "string", _("Country of the partner (ISO 3166-1 alpha-2).")),
    Column("kind", "string", _("cooperation, twinning or friendship.")),
    Column("status", "string", _("planned, active, dormant or ended.")),
    Column("since_year", "year", _("Year the partnership began.")),
    Column("ended_year", "year", _("Year it ended.")),
    Column("themes", "string", _("Themes (codes)."), is_list=True),
    Column("french_latitude", "number", _("Latitude of the French authority.")),
    Column("french_longitude", "number", _("Longitude of the French authority.")),
    Column("foreign_latitude", "number", _("Latitude of the partner authority.")),
    Column("foreign_longitude", "number", _("Longitude of the partner authority.")),
]


def _authority_values(side: str) -> list[str]:
    return [
        f"{side}__{name}"
        for name in (
            "name",
            "latitude",
            "longitude",
            "coordinates_overridden",
            "commune__latitude",
            "commune__longitude",
            "field_visibility",
        )
    ]


def partnership_rows() -> Iterator[dict]:
    """One row per partnership shown to the public."""
    queryset = Partnership.objects.filter(is_public=True).values(
        "pk",
        "kind",
        "status",
        "since_year",
        "ended_year",
        "french_authority__kind__slug",
        "french_authority__kind__authority_level",
        "french_authority__departement__code",
        "foreign_authority__seat_country__iso2",
        *_authority_values("french_authority"),
        *_authority_values("foreign_authority"),
    )
    cache: dict = {}
    for chunk in _chunks(queryset):
        themes = _codes(Partnership, "themes", "slug", [row["pk"] for row in chunk])
        for row in chunk:
            places = {}
            for side in ("french_authority", "foreign_authority"):
                shown = public_fields(row[f"{side}__field_visibility"], cache)
                places[side] = seat_coordinates(
                    row, address_shown=shown["address_line1"], prefix=f"{side}__"
                )
            yield {
                "id": row["pk"],
                "french_authority": row["french_authority__name"],
                "french_authority_kind": row["french_authority__kind__slug"],
                "french_authority_level": row["french_authority__kind__authority_level"],
                "departement": row["french_authority__departement__code"] or "",
                "foreign_authority": row["foreign_authority__name"],
                "country": row["foreign_authority__seat_country__iso2"] or "",
                "kind": row["kind"],
                "status": row["status"],
                "since_year": row["since_year"],
                "ended_year": row["ended_year"],
                "themes": themes.get(row["pk"], []),
                "french_latitude": places["french_authority"][0],
                "french_longitude": places["french_authority"][1],
                "foreign_latitude": places["foreign_authority"][0],
                "foreign_longitude": places["foreign_authority"][1],
            }


# The columns of the national atlas of decentralised cooperation (French headings, labels).
ATLAS_COLUMNS = [
    Column("Collectivité française", "string", _("French local authority."), required=True),
    Column("Type de collectivité", "string", _("Its level (commune, département, …).")),
    Column("Département", "string", _("INSEE code of its département.")),
    Column("Autorité partenaire", "string", _("Partner authority abroad."), required=True),
    Column("Pays", "string", _("Country of the partner (French name).")),
    Column("Code pays", "string", _("Country of the partner (ISO 3166-1 alpha-3).")),
    Column("Thématiques", "string", _("Themes (French names)."), is_list=True),
    Column("Année de début", "year", _("Year the partnership began.")),
    Column("Statut", "string", _("Status (French label).")),
]


def atlas_rows() -> Iterator[dict]:
    """The partnerships in the fields of the national atlas of decentralised cooperation."""
    levels = dict(OrganizationKind.AuthorityLevel.choices)
    statuses = dict(Partnership.Status.choices)
    theme_names = dict(Theme.objects.values_list("slug", "name_fr"))
    countries = {}
    for iso2, iso3, name in Country.objects.values_list("iso2", "iso3", "name_fr"):
        countries[iso2] = (iso3, name)
    with translation.override("fr"):
        for row in partnership_rows():
            iso3, country = countries.get(row["country"], ("", ""))
            level = row["french_authority_level"]
            yield {
                "id": row["id"],
                "Collectivité française": row["french_authority"],
                "Type de collectivité": str(levels[level]) if level in levels else "",
                "Département": row["departement"],
                "Autorité partenaire": row["foreign_authority"],
                "Pays": country,
                "Code pays": iso3,
                "Thématiques": [theme_names.get(slug, slug) for slug in row["themes"]],
                "Année de début": row["since_year"],
                "Statut": str(statuses.get(row["status"], row["status"])),
            }


# Events -----------------------------------------------------------------------------------------


EVENT_COLUMNS = [
    Column("id", "integer", _("Identifier of the event."), required=True),
    Column("title", "string", _("Title."), required=True),
    Column("kind", "string", _("training, meeting, webinar, working_group, general_assembly, …")),
    Column("starts_at", "datetime", _("Start of the first sitting (UTC).")),
    Column("ends_at", "datetime", _("End of the last sitting (UTC).")),
    Column("venue", "string", _("Venue.")),
    Column("commune_insee", "string", _("INSEE code of the commune.")),
    Column("commune", "string", _("Commune.")),
    Column("online", "boolean", _("Held online.")),
    Column("organizers", "string", _("Organisers."), is_list=True),
    Column("url", "string", _("Public page of the event."), required=True),
]


def event_rows() -> Iterator[dict]:
    """One row per published event: when, where, by whom."""
    queryset = Event.objects.published().select_related("commune")
    through = Event._meta.get_field("partner_organizers").remote_field.through.objects
    for chunk in _chunks(queryset):
        ids = [e.pk for e in chunk]
        organizers = grouped_by_owner(through, "event_id", "organization__name", ids)
        spans = {
            row["event_id"]: row
            for row in Sitting.objects.filter(event__in=ids)
            .values("event_id")
            .annotate(first=Min("starts_at"), last=Max("ends_at"))
            .order_by()
        }
        for event in chunk:
            span = spans.get(event.pk, {})
            names = [settings.NETWORK_NAME] if event.organized_by_network else []
            yield {
                "id": event.pk,
                "title": event.title,
                "kind": event.kind,
                "starts_at": span.get("first"),
                "ends_at": span.get("last"),
                "venue": event.venue,
                "commune_insee": event.commune.insee_code if event.commune else "",
                "commune": event.commune.name if event.commune else "",
                "online": bool(event.online_url),
                "organizers": names + organizers.get(event.pk, []),
                "url": absolute_url(reverse("events:detail", args=[event.slug])),
            }


# The common thesaurus ---------------------------------------------------------------------------


THESAURUS_COLUMNS = [
    Column(
        "network",
        "string",
        _("Code of the regional network that publishes the file."),
        required=True,
    ),
    Column(
        "id", "integer", _("Identifier of the organisation in this network's files."), required=True
    ),
    Column(
        "kind_family",
        "string",
        _("association, local_authority, education, economic, other."),
        required=True,
    ),
    Column("kind", "string", _("Kind of organisation (code of the thesaurus).")),
    Column("departement", "string", _("INSEE code of the département of the seat.")),
    Column(
        "countries", "string", _("Countries of intervention (ISO 3166-1 alpha-3)."), is_list=True
    ),
    Column("sectors", "string", _("OECD DAC 5-digit sectors, from the themes."), is_list=True),
    Column("sdgs", "string", _("Sustainable Development Goals (numbers)."), is_list=True),
]


def thesaurus_rows() -> Iterator[dict]:
    """One row per listed organisation in stable codes, so that networks' files concatenate."""
    iso3 = dict(Country.objects.values_list("iso2", "iso3"))
    sectors_of_theme: dict[str, list[str]] = defaultdict(list)
    crosswalk = Theme._meta.get_field("dac_sectors").remote_field.through.objects
    for slug, code in crosswalk.values_list("theme__slug", "dacsector__code"):
        sectors_of_theme[slug].append(code)
    network = settings.OPEN_DATA_IDENTIFIER_PREFIX
    for row in organization_rows():
        sectors = sorted(
            {code for slug in row["themes"] for code in sectors_of_theme.get(slug, [])}
        )
        yield {
            "network": network,
            "id": row["id"],
            "kind_family": row["kind_family"],
            "kind": row["kind"],
            "departement": row["departement"],
            "countries": [iso3.get(code, code) for code in row["countries"]],
            "sectors": sectors,
            "sdgs": row["sdgs"],
        }


DATASETS: list[Dataset] = [
    Dataset(
        "organisations",
        _("Organisations"),
        _("The organisations listed in the public directory, with the fields they made public."),
        ORGANIZATION_COLUMNS,
        organization_rows,
    ),
    Dataset(
        "contacts",
        _("Contacts"),
        _("People named on the public pages of organisations, with their consent."),
        CONTACT_COLUMNS,
        contact_rows,
        foreign_keys=[
            {
                "fields": "organization_id",
                "reference": {"resource": "organisations", "fields": "id"},
            }
        ],
    ),
    Dataset(
        "projects",
        _("Projects"),
        _("The published projects of the panorama, with the fields they made public."),
        PROJECT_COLUMNS,
        project_rows,
    ),
    Dataset(
        "project-places",
        _("Places of the projects"),
        _("Where the published projects act, with coordinates where known."),
        PLACE_COLUMNS,
        project_place_rows,
        foreign_keys=[
            {"fields": "project_id", "reference": {"resource": "projects", "fields": "id"}}
        ],
    ),
    Dataset(
        "partnerships",
        _("Decentralised cooperation"),
        _("Partnerships between French local authorities and authorities abroad."),
        PARTNERSHIP_COLUMNS,
        partnership_rows,
    ),
    Dataset(
        "partnerships-atlas",
        _("Decentralised cooperation (national atlas)"),
        _("The partnerships in the columns of the national atlas of decentralised cooperation."),
        [
            Column("id", "integer", _("Identifier of the partnership."), required=True),
            *ATLAS_COLUMNS,
        ],
        atlas_rows,
    ),
    Dataset(
        "events",
        _("Events"),
        _("The published events of the network's calendar."),
        EVENT_COLUMNS,
        event_rows,
    ),
    Dataset(
        "thesaurus",
        _("Common thesaurus"),
        _(
            "One row per organisation in the codes shared by the regional networks, for the "
            "national barometer."
        ),
        THESAURUS_COLUMNS,
        thesaurus_rows,
        primary_key=["network", "id"],
        foreign_keys=[{"fields": "id", "reference": {"resource": "organisations", "fields": "id"}}],
    ),
]

DATASETS_BY_NAME = {dataset.name: dataset for dataset in DATASETS}
