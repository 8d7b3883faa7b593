"""The public page of one organisation and of one project: only what their owners published.

Who is looking decides what is shown: anonymous visitors see the fields marked public; a
logged-in person of a member organisation, or of the network's team, also sees those marked
for members. Fields marked for staff never reach these pages (the back office shows them).
"""

import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db.models import F, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from observatoire.accounts.access import is_back_office
from observatoire.core.public_cache import cached_public
from observatoire.events.models import Event
from observatoire.events.services import organization_is_member
from observatoire.finance.models import Funding
from observatoire.finance.services import budget_totals
from observatoire.groups.models import Group, GroupMember
from observatoire.organizations.models import (
    VISIBILITY_DEFAULTS,
    Affiliation,
    Consent,
    Organization,
    Visibility,
)
from observatoire.organizations.selectors import organization_field_visible
from observatoire.partnerships.models import Partnership
from observatoire.projects.models import (
    PROJECT_VISIBILITY_DEFAULTS,
    Phase,
    Project,
    ProjectPartner,
    ProjectPhoto,
    ProjectUpdate,
)

PUBLIC = Visibility.PUBLIC.value
MEMBERS = Visibility.MEMBERS.value
# The lead partner first, then those who act, then those who benefit.
PARTNER_ROLE_ORDER = [
    ProjectPartner.Role.LEAD,
    ProjectPartner.Role.PARTNER,
    ProjectPartner.Role.IMPLEMENTING,
    ProjectPartner.Role.BENEFICIARY,
    ProjectPartner.Role.FUNDER,
]
# How many of an organisation's events its page lists, the latest first.
EVENTS_SHOWN = 10

PHASE_MEANINGS = {
    Phase.EMERGENCE: _(
        "The partners get to know the context, the territories and the people involved, "
        "and look for common stakes."
    ),
    Phase.CONSTRUCTION: _(
        "The partners build the partnership and its governance, an action plan, a budget "
        "and its funding."
    ),
    Phase.IMPLEMENTATION: _(
        "The actions are under way: the partners coordinate, report and evaluate them."
    ),
    Phase.COMPLETED: _("The project is over; its results and lessons are shared."),
    Phase.SUSPENDED: _("The project is paused for now."),
}


# Who is looking ---------------------------------------------------------------------------------


def viewer_audience(user) -> str:
    """'members' for the network's team and people of a member organisation, else 'public'."""
    if not user.is_authenticated or not user.is_active:
        return PUBLIC
    if is_back_office(user):
        return MEMBERS
    organization = getattr(user, "organization", None)
    if organization is not None and organization_is_member(organization, on=timezone.localdate()):
        return MEMBERS
    return PUBLIC


# SDG tiles ------------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    """Relative luminance of a #rrggbb colour, as WCAG defines it."""
    channels = []
    for index in (1, 3, 5):
        value = int(hex_colour[index : index + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def text_colour_on(hex_colour: str) -> str:
    """Black or white, whichever contrasts more with the background (always 4.5:1 or more)."""
    luminance = _luminance(hex_colour)
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return "#ffffff" if on_white >= on_black else "#000000"


@dataclass(frozen=True)
class SdgTile:
    number: int
    short_name: str
    name: str
    colour: str
    text_colour: str


def sdg_tiles(sdgs) -> list[SdgTile]:
    """The SDGs as coloured tiles: official colour, number, short name, readable text colour."""
    return [
        SdgTile(
            number=sdg.number,
            short_name=sdg.short_name,
            name=sdg.name,
            colour=sdg.color,
            text_colour=text_colour_on(sdg.color),
        )
        for sdg in sorted(sdgs, key=lambda sdg: sdg.number)
    ]


# Organisations ------------------------------------------------------------------------------


def organization_is_listed(organization: Organization) -> bool:
    """Whether the organisation has a public page (qualified, with its address in the site)."""
    return organization.status == Organization.Status.QUALIFIED and bool(organization.slug)


def public_organization(slug: str) -> Organization:
    """The listed organisation at `slug`; a merged record leads to the one it was merged into."""
    organization = get_object_or_404(
        Organization.objects.select_related("kind", "commune", "departement", "seat_country"),
        slug=slug,
    )
    survivor = organization.survivor
    if not organization_is_listed(survivor):
        raise Http404
    return survivor


def organization_public_contacts(organization: Organization) -> list[Affiliation]:
    """Current affiliations of people whose latest directory consent is a grant."""
    affiliations = list(
        Affiliation.objects.current()
        .filter(organization=organization)
        .filter(person__archived_at__isnull=True, person__erased_at__isnull=True)
        .select_related("person")
        .order_by("-is_main_contact", "person__last_name", "person__first_name")
    )
    # Read for these few people only, so the page costs the same in a register of any size.
    consenting = people_listed_in_directory([a.person_id for a in affiliations])
    return [a for a in affiliations if a.person_id in consenting]


def people_listed_in_directory(person_ids) -> set[int]:
    """Those of `person_ids` whose latest directory consent is a grant (a later withdrawal wins)."""
    latest: dict[int, bool] = {}
    consents = Consent.objects.filter(
        person__in=person_ids, purpose=Consent.Purpose.DIRECTORY
    ).order_by("person", "-given_at", "-pk")
    for person_id, granted in consents.values_list("person_id", "granted"):
        latest.setdefault(person_id, granted)
    return {person_id for person_id, granted in latest.items() if granted}


def organization_contact_address(organization: Organization) -> str:
    """Where the contact form's messages go: the public e-mail, else the main contact's."""
    if organization.public_email:
        return organization.public_email
    main = (
        Affiliation.objects.current()
        .filter(organization=organization, is_main_contact=True)
        .filter(person__archived_at__isnull=True, person__erased_at__isnull=True)
        .select_related("person")
        .prefetch_related("person__emails")
        .first()
    )
    return main.person.primary_email if main else ""


@dataclass
class ProjectRole:
    project: Project
    roles: list[str]


def organization_public_projects(organization: Organization) -> list[ProjectRole]:
    """Published projects the organisation takes part in, each with its role(s) there."""
    by_project: dict[int, ProjectRole] = {}
    partners = (
        ProjectPartner.objects.filter(organization=organization, project__is_published=True)
        .select_related("project")
        .order_by("project__title", "role")
    )
    for partner in partners:
        entry = by_project.setdefault(partner.project_id, ProjectRole(partner.project, []))
        entry.roles.append(partner.get_role_display())
    return list(by_project.values())


def organization_public_events(organization: Organization) -> list[Event]:
    """Published events the organisation organises with the network, the latest first."""
    return list(
        Event.objects.published()
        .filter(partner_organizers=organization)
        .filter(first_starts_at__isnull=False)
        .annotate(first_start=F("first_starts_at"))
        .select_related("commune")
        .order_by("-first_starts_at", "pk")[:EVENTS_SHOWN]
    )


def organization_public_groups(organization: Organization) -> list[Group]:
    """Published groups the organisation currently takes part in."""
    members = GroupMember.objects.current().filter(organization=organization)
    return list(Group.objects.published().filter(members__in=members).distinct().order_by("name"))


def organization_public_partnerships(organization: Organization) -> list[Partnership]:
    return list(
        Partnership.objects.of_organization(organization)
        .filter(is_public=True)
        .select_related("french_authority", "foreign_authority")
    )


def map_context(countries, places) -> dict:
    """What `maps/_mini_map.html` draws: the countries and the places that have coordinates."""
    return {
        "map_countries": [country.iso2 for country in countries],
        "map_points": [
            {"lat": float(place.latitude), "lon": float(place.longitude), "label": place.name}
            for place in places
            if place.latitude is not None and place.longitude is not None
        ],
    }


def organization_page(organization: Organization, *, audience: str) -> dict:
    """What the page of `organization` shows to `audience` ('public' or 'members')."""

    def visible(field: str) -> bool:
        return organization_field_visible(organization, field, audience)

    # An organisation's needs help staff match it with support; they are never published.
    shown = {field: visible(field) for field in VISIBILITY_DEFAULTS if field != "needs"}
    identifiers = [
        (Organization._meta.get_field(field).verbose_name, getattr(organization, field))
        for field in ("siren", "siret", "rna", "iati_id")
        if shown[field] and getattr(organization, field)
    ]
    page = {
        "organization": organization,
        "shown": shown,
        "identifiers": identifiers,
        "is_member": organization_is_member(organization, on=timezone.localdate()),
        "themes": list(organization.themes.all()) if shown["themes"] else [],
        "sdg_tiles": sdg_tiles(organization.sdgs.all()) if shown["sdgs"] else [],
        "action_kinds": list(organization.action_kinds.all()) if shown["action_kinds"] else [],
        "countries": list(organization.countries.all()) if shown["countries"] else [],
        "places": list(organization.places.select_related("country")) if shown["places"] else [],
        "contacts": organization_public_contacts(organization),
        "projects": organization_public_projects(organization),
        "events": organization_public_events(organization),
        "groups": organization_public_groups(organization),
        "partnerships": organization_public_partnerships(organization),
        "relations": list(
            organization.relations_from.select_related("target").order_by("kind", "target__name")
        )
        if shown["relations"]
        else [],
        "can_be_contacted": bool(organization_contact_address(organization)),
    }
    return page | map_context(page["countries"], page["places"])


@require_safe
def organization_detail(request, slug):
    organization = public_organization(slug)
    if organization.slug != slug:
        return redirect("portal:organization", slug=organization.slug, permanent=True)
    audience = viewer_audience(request.user)
    # Two thirds of the page's time at 200,000 organisations went into these queries; any change
    # to a record the page reads renews it (core.public_cache), dates at most 15 minutes late.
    context = cached_public(
        f"portal-organization:{organization.pk}:{audience}:{get_language()}",
        lambda: organization_page(organization, audience=audience),
    )
    return render(request, "portal/organization_detail.html", context)


# Projects -----------------------------------------------------------------------------------


def project_field_visible(project: Project, field: str, audience: str) -> bool:
    """Whether `audience` (public, members or staff) may see `field` of this project."""
    ranks = {Visibility.PUBLIC: 0, Visibility.MEMBERS: 1, Visibility.STAFF: 2}
    if field not in PROJECT_VISIBILITY_DEFAULTS:
        return True  # title, phase, themes, SDGs and countries: always public
    level = project.field_visibility.get(field, PROJECT_VISIBILITY_DEFAULTS[field])
    return ranks.get(audience, 0) >= ranks.get(level, 2)


def public_project(slug: str) -> Project:
    """The published project at `slug`, or 404."""
    return get_object_or_404(
        Project.objects.published().select_related("partnership"),
        slug=slug,
    )


def project_public_updates(project: Project) -> list[ProjectUpdate]:
    return list(
        project.updates.filter(is_public=True).prefetch_related(
            Prefetch("photos", queryset=ProjectPhoto.objects.order_by("position", "pk"))
        )
    )


def project_budget(project: Project) -> dict | None:
    """The budget in force in EUR, by category, and the funding granted; None without one."""
    totals = budget_totals(project)
    if totals.version is None:
        return None
    return {"total": totals.total, "by_category": totals.by_category}


def project_funders(project: Project, *, with_amounts: bool) -> list[dict]:
    """Funders from the funding plan, then funder partners not in it, with the kind of funder."""
    funders: list[dict] = []
    seen: set[int] = set()
    for funding in Funding.objects.filter(project=project).select_related("funder"):
        seen.add(funding.funder_id)
        funders.append(
            {
                "organization": funding.funder,
                "kind": funding.get_funder_kind_display(),
                "granted": funding.granted if with_amounts else None,
            }
        )
    for partner in project.partners.all():
        if partner.role == ProjectPartner.Role.FUNDER and partner.organization_id not in seen:
            seen.add(partner.organization_id)
            funders.append({"organization": partner.organization, "kind": "", "granted": None})
    return funders


def project_page(project: Project, *, audience: str) -> dict:
    """What the page of `project` shows to `audience` ('public' or 'members')."""
    shown = {
        field: project_field_visible(project, field, audience)
        for field in PROJECT_VISIBILITY_DEFAULTS
    }
    partners = sorted(
        project.partners.select_related("organization"),
        key=lambda p: (PARTNER_ROLE_ORDER.index(p.role), p.organization.name),
    )
    partnership = (
        project.partnership if project.partnership and project.partnership.is_public else None
    )
    page = {
        "project": project,
        "shown": shown,
        "phase_meaning": PHASE_MEANINGS.get(project.phase, ""),
        "themes": list(project.themes.all()),
        "sdg_tiles": sdg_tiles(project.sdgs.all()),
        "countries": list(project.countries.all()),
        "places": list(project.places.select_related("country", "commune"))
        if shown["places"]
        else [],
        "partners": [p for p in partners if p.role != ProjectPartner.Role.FUNDER]
        if shown["partners"]
        else [],
        "funders": project_funders(project, with_amounts=shown["budget"])
        if shown["funders"]
        else [],
        "budget": project_budget(project) if shown["budget"] else None,
        "updates": project_public_updates(project) if shown["updates"] else [],
        "partnership": partnership,
    }
    return page | map_context(page["countries"], page["places"])


@require_safe
def project_detail(request, slug):
    project = public_project(slug)
    audience = viewer_audience(request.user)
    context = cached_public(
        f"portal-project:{project.pk}:{audience}:{get_language()}",
        lambda: project_page(project, audience=audience),
    )
    return render(request, "portal/project_detail.html", context)


@require_safe
def project_photo(request, slug, pk):
    """A photo of a published project's public update, when its updates are public."""
    project = public_project(slug)
    if not project_field_visible(project, "updates", viewer_audience(request.user)):
        raise Http404
    photo = get_object_or_404(ProjectPhoto, pk=pk, update__project=project, update__is_public=True)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    name = PurePosixPath(photo.image.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, filename=name, content_type=content_type)
