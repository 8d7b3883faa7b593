"""Writes on projects: saving, phases and their checklists, partners, results.

Every write is atomic and validated with `full_clean()`; the project's history (simple_history)
records who changed what, with a reason for phase changes.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.core.images import CleanImage
from observatoire.core.text import unique_slug
from observatoire.events.models import Event, Sitting
from observatoire.organizations.models import Organization, Visibility
from observatoire.referentials.models import DacSector, OrganizationKind, Theme

from .models import (
    PROJECT_VISIBILITY_DEFAULTS,
    WORKING_PHASES,
    ChecklistItem,
    ChecklistTemplateItem,
    GovernanceBody,
    IndicatorValue,
    Phase,
    Project,
    ProjectPartner,
    ProjectPhoto,
    ProjectUpdate,
)

MAX_TOTAL_SHARE = Decimal("100")


def proposed_dac_sectors(themes: Iterable[Theme]) -> QuerySet[DacSector]:
    """The DAC sectors the themes' crosswalk proposes for a project with these themes."""
    theme_ids = [theme.pk if isinstance(theme, Theme) else int(theme) for theme in themes]
    return DacSector.objects.filter(themes__in=theme_ids).distinct().order_by("code")


def project_unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    others = Project.objects.exclude(pk=exclude_pk) if exclude_pk else Project.objects.all()
    return unique_slug(others, title, fallback="projet")


def check_budget_shares(shares: Iterable[Decimal | None]) -> None:
    """Refuse places whose shares of the budget add up to more than 100 %."""
    total = sum((share or Decimal("0") for share in shares), Decimal("0"))
    if total > MAX_TOTAL_SHARE:
        raise ValidationError(
            _(
                "The shares of the budget of the places add up to %(total)s %%, more than 100 %%."
                " Lower one of them."
            )
            % {"total": f"{total:.2f}".rstrip("0").rstrip(".").replace(".", ",")},
            code="shares_over_100",
        )


@transaction.atomic
def project_save(
    *, project: Project, changed_by=None, lead: Organization | None = None, reason: str = ""
) -> Project:
    """Validate and save a project; a new one gets its address, its lead and its checklist."""
    is_new = project.pk is None
    if not project.slug:
        project.slug = project_unique_slug(project.title, exclude_pk=project.pk)
    project.full_clean()
    project._history_user = changed_by
    if reason:
        project._change_reason = reason
    project.save()
    if is_new:
        if lead is not None:
            ProjectPartner.objects.create(
                project=project, organization=lead, role=ProjectPartner.Role.LEAD
            )
        if project.phase in WORKING_PHASES:
            checklist_for_phase(project, project.phase)
    return project


# Fields of the project form that the public page never shows.
_INTERNAL_FORM_FIELDS = {
    "coordinator",
    "currency",
    "origin_group",
    "origin_event",
    "origin_note",
    "partners_may_edit",
    "dac_sectors",
    "sdg_targets",
}
# Form fields shown only when the project makes the named part public.
_FORM_FIELD_PART = {
    "summary": "summary",
    "description": "description",
    "planned_start": "dates",
    "planned_end": "dates",
    "actual_start": "dates",
    "actual_end": "dates",
}


def public_form_change(
    project: Project,
    changed_fields: Iterable[str],
    *,
    places_changed: bool,
    visibility_before: dict,
) -> bool:
    """Whether a save of the project form changed what the public page shows.

    `changed_fields` are the form's changed fields; a part the project keeps from the public
    (before and after the save) does not count, nor do the internal fields.
    """
    visibility_after = project.field_visibility or {}

    def public(part: str) -> bool:
        default = PROJECT_VISIBILITY_DEFAULTS[part]
        return Visibility.PUBLIC in (
            visibility_before.get(part, default),
            visibility_after.get(part, default),
        )

    for field in changed_fields:
        if field in _INTERNAL_FORM_FIELDS:
            continue
        if field.startswith("visibility_"):
            return True
        part = _FORM_FIELD_PART.get(field)
        if part is None or public(part):
            return True
    return places_changed and public("places")


def project_photo_add(
    *, update: ProjectUpdate, image: CleanImage, caption: str = "", credit: str = ""
) -> ProjectPhoto:
    """Attach a photo, already cleaned by `core.images.clean_image`, to a project's news."""
    photo = ProjectPhoto(update=update, caption=caption, credit=credit)
    photo.image.save(
        f"{update.project.slug[:60] or 'projet'}-{update.pk}.{image.extension}",
        image.content,
        save=False,
    )
    photo.full_clean()
    photo.save()
    return photo


# Checklists ---------------------------------------------------------------------------------


def checklist_for_phase(project: Project, phase: str) -> list[ChecklistItem]:
    """The checklist of `project` for `phase`, copying the template entries it does not have yet."""
    if phase not in WORKING_PHASES:
        return []
    items = list(ChecklistItem.objects.filter(project=project, phase=phase))
    copied = {item.template_item_id for item in items if item.template_item_id}
    missing = [
        ChecklistItem(
            project=project,
            template_item=entry,
            phase=phase,
            title=entry.title,
            guidance=entry.guidance,
            position=entry.position,
        )
        for entry in ChecklistTemplateItem.objects.filter(phase=phase, is_active=True)
        if entry.pk not in copied
    ]
    if missing:
        ChecklistItem.objects.bulk_create(missing)
        items = list(ChecklistItem.objects.filter(project=project, phase=phase))
    return sorted(items, key=lambda item: (item.position, item.pk))


def checklist_lacking(project: Project, phase: str | None = None) -> list[ChecklistItem]:
    """What `phase` (the current one by default) still lacks: its entries not ticked."""
    phase = phase or project.phase
    return [
        item
        for item in ChecklistItem.objects.filter(project=project, phase=phase, done_on__isnull=True)
        .select_related("responsible", "responsible_organization")
        .order_by("position", "pk")
    ]


@transaction.atomic
def checklist_item_tick(
    *, item: ChecklistItem, user=None, done: bool = True, on: datetime.date | None = None
) -> ChecklistItem:
    """Tick an entry as done today (or on `on`), or untick it."""
    if done:
        item.done_on = on or timezone.localdate()
        item.done_by = user if user is not None and user.is_authenticated else None
    else:
        item.done_on = None
        item.done_by = None
    item.save(update_fields=["done_on", "done_by", "updated_at"])
    return item


@transaction.atomic
def checklist_item_add(*, project: Project, phase: str, title: str, **fields) -> ChecklistItem:
    """An entry added to one project's checklist, beyond the template."""
    last = ChecklistItem.objects.filter(project=project, phase=phase).order_by("-position").first()
    item = ChecklistItem(
        project=project,
        phase=phase,
        title=title,
        position=(last.position + 1) if last else 1,
        **fields,
    )
    item.full_clean()
    item.save()
    return item


class ChecklistIncomplete(Exception):
    """The phase being left still lacks entries; the change needs a confirmation."""

    def __init__(self, lacking: list[ChecklistItem]):
        super().__init__(", ".join(item.title for item in lacking))
        self.lacking = lacking


def phase_order(phase: str) -> int:
    order = [*WORKING_PHASES, Phase.COMPLETED]
    return order.index(phase) if phase in order else -1


def next_phase(phase: str) -> str | None:
    order = [*WORKING_PHASES, Phase.COMPLETED]
    if phase not in order or phase == Phase.COMPLETED:
        return None
    return order[order.index(phase) + 1]


@transaction.atomic
def project_change_phase(project: Project, phase: str, *, user=None, force: bool = False):
    """Move `project` to `phase`; moving on with entries missing needs `force`.

    Raises ChecklistIncomplete when the phase being left forward still lacks entries and
    `force` is not set. The new phase's checklist is copied from the template, and the history
    records the change with its reason.
    """
    if phase not in Phase.values:
        raise ValidationError(_("Unknown phase."))
    previous = project.phase
    if phase == previous:
        return project
    moving_on = previous in WORKING_PHASES and phase_order(phase) > phase_order(previous)
    if moving_on and not force:
        lacking = checklist_lacking(project, previous)
        if lacking:
            raise ChecklistIncomplete(lacking)
    project.phase = phase
    if phase == Phase.IMPLEMENTATION and not project.actual_start:
        project.actual_start = timezone.localdate()
    if phase == Phase.COMPLETED and not project.actual_end:
        project.actual_end = timezone.localdate()
        if project.actual_start and project.actual_end < project.actual_start:
            project.actual_end = project.actual_start
    project._history_user = user if user is not None and user.is_authenticated else None
    project._change_reason = f"phase: {previous} → {phase}" + (" (forced)" if force else "")
    project.save()
    checklist_for_phase(project, phase)
    return project


# Partners -----------------------------------------------------------------------------------


@transaction.atomic
def project_partner_add(
    *,
    project: Project,
    organization: Organization,
    role: str,
    iati_role: str = "",
    contribution: str = "",
    contacts: Iterable = (),
) -> ProjectPartner:
    """Add an organisation to the project in a role; one lead partner, one entry per role."""
    if role == ProjectPartner.Role.LEAD and project.partners.filter(role=role).exists():
        raise ValidationError(
            _("The project already has a lead partner: remove it first or choose another role.")
        )
    if project.partners.filter(organization=organization, role=role).exists():
        raise ValidationError(_("This organisation already holds this role in the project."))
    partner = ProjectPartner(
        project=project,
        organization=organization,
        role=role,
        iati_role=iati_role,
        contribution=contribution,
    )
    try:
        with transaction.atomic():
            partner.save()
    except IntegrityError as error:
        raise ValidationError(
            _("This organisation already holds this role in the project.")
        ) from error
    partner.contacts.set(list(contacts))
    return partner


def project_partner_remove(*, partner: ProjectPartner) -> None:
    """Remove a partner; one with budget lines or transactions stays, with the reason."""
    try:
        with transaction.atomic():
            partner.delete()
    except ProtectedError as error:
        raise ValidationError(
            _(
                "%(organization)s cannot be removed from the project: budget lines or"
                " transactions refer to it. Move them to another partner first."
            )
            % {"organization": partner.organization}
        ) from error


@transaction.atomic
def foreign_partner_create(
    *,
    name: str,
    kind: OrganizationKind,
    seat_country,
    seat_locality: str = "",
    latitude=None,
    longitude=None,
    changed_by=None,
) -> Organization:
    """A partner abroad, lightly described, straight into the register (no referencing)."""
    from observatoire.organizations.services import organization_save

    organization = Organization(
        name=name,
        kind=kind,
        legal_form=Organization.LegalForm.FOREIGN,
        seat_country=seat_country,
        seat_locality=seat_locality,
        latitude=latitude,
        longitude=longitude,
        coordinates_overridden=latitude is not None and longitude is not None,
        status=Organization.Status.QUALIFIED,
    )
    return organization_save(
        organization=organization, changed_by=changed_by, reason="partner abroad of a project"
    )


# Results ------------------------------------------------------------------------------------


@transaction.atomic
def indicator_value_record(*, value: IndicatorValue) -> IndicatorValue:
    """Record the value of an indicator for a period: the period in order, one per period."""
    value.full_clean(validate_unique=False, validate_constraints=False)
    clash = IndicatorValue.objects.filter(
        indicator=value.indicator_id, period_start=value.period_start
    ).exclude(pk=value.pk)
    if clash.exists():
        raise ValidationError(
            {"period_start": _("This indicator already has a value for the period starting then.")}
        )
    value.save()
    return value


@transaction.atomic
def body_meeting_create(
    project: Project, body: GovernanceBody, *, title, starts_at, ends_at, venue="", user=None
) -> Event:
    """A meeting of a body is an event (kind meeting, on invitation) with one sitting."""
    event = Event.objects.create(
        title=title,
        slug=unique_slug(Event.objects.all(), f"{title}-{starts_at:%Y-%m-%d}", fallback="reunion"),
        kind=Event.Kind.MEETING,
        status=Event.Status.DRAFT,
        summary=_("Meeting of %(body)s (%(project)s)") % {"body": body.name, "project": project},
        venue=venue,
        organized_by_network=False,
        registration_rule=Event.RegistrationRule.INVITATION,
        staff_contact=user if user is not None and user.is_staff else None,
    )
    Sitting.objects.create(event=event, starts_at=starts_at, ends_at=ends_at)
    body.meetings.add(event)
    return event
