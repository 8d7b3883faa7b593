"""Writes of the organisation space and of the moderation queue.

What an organisation editor publishes or changes waits in a Submission until staff approve it,
unless the organisation publishes directly. Every write records who made it in the history.
"""

import contextlib
import contextvars
import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from observatoire.accounts.access import can_edit_register
from observatoire.core.images import CleanImage
from observatoire.core.text import unique_slug
from observatoire.events.models import Event, Sitting
from observatoire.news import services as news_services
from observatoire.news.models import NewsItem
from observatoire.organizations.models import VISIBILITY_DEFAULTS, Affiliation, Organization
from observatoire.organizations.services import organization_save
from observatoire.projects.models import Project
from observatoire.projects.services import project_save

from .models import Submission

# What an editor may change of their organisation, and which of these are lists of records.
EDITABLE_FIELDS = [
    "description",
    "website",
    "public_email",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
]
EDITABLE_RELATIONS = ["themes", "sdgs", "action_kinds", "countries"]
# Fields whose public visibility the editor chooses.
VISIBILITY_FIELDS = [
    "description",
    "website",
    "public_email",
    "phone",
    "address_line1",
    "address_line2",
    "themes",
    "sdgs",
    "action_kinds",
    "countries",
]
KIND_OF_MODEL = {
    Project: Submission.Kind.PROJECT,
    Event: Submission.Kind.EVENT,
    NewsItem: Submission.Kind.NEWS,
}


# Organisation details ------------------------------------------------------------------------


def organization_current_values(organization: Organization) -> dict:
    """The editable values as the public page shows them now, in the form of `changes`."""
    values: dict = {field: getattr(organization, field) for field in EDITABLE_FIELDS}
    for field in EDITABLE_RELATIONS:
        values[field] = sorted(getattr(organization, field).values_list("pk", flat=True))
    values["field_visibility"] = {
        field: organization.field_visibility.get(field, VISIBILITY_DEFAULTS[field])
        for field in VISIBILITY_FIELDS
    }
    return values


def organization_changes(organization: Organization, proposed: dict) -> dict:
    """The entries of `proposed` that differ from the organisation's current values."""
    current = organization_current_values(organization)
    changes = {}
    for field, value in proposed.items():
        if field not in current:
            continue
        if field in EDITABLE_RELATIONS:
            value = sorted(int(getattr(item, "pk", item)) for item in value)
        elif field == "field_visibility":
            value = {k: v for k, v in value.items() if k in VISIBILITY_FIELDS}
            value = {**current["field_visibility"], **value}
        if value != current[field]:
            changes[field] = value
    if "roles" in proposed:
        roles = current_roles(organization)
        changed_roles = {
            str(pk): (role or "").strip()
            for pk, role in proposed["roles"].items()
            if str(pk) in roles and (role or "").strip() != roles[str(pk)]
        }
        if changed_roles:
            changes["roles"] = changed_roles
    return changes


def current_roles(organization: Organization) -> dict[str, str]:
    """{affiliation id: role} of the organisation's contacts."""
    return {
        str(pk): role
        for pk, role in Affiliation.objects.filter(organization=organization).values_list(
            "pk", "role"
        )
    }


@transaction.atomic
def organization_changes_apply(
    *, organization: Organization, changes: dict, user, reason: str
) -> Organization:
    """Write proposed `changes` to the organisation, recording `user` in its history."""
    for field in EDITABLE_RELATIONS:
        if field in changes:
            getattr(organization, field).set(changes[field])
    for field in EDITABLE_FIELDS:
        if field in changes:
            setattr(organization, field, changes[field])
    for pk, role in changes.get("roles", {}).items():
        affiliation = Affiliation.objects.filter(pk=pk, organization=organization).first()
        if affiliation is not None:  # the contact may have left meanwhile
            affiliation_role_set(affiliation=affiliation, role=role, user=user, reason=reason)
    if "field_visibility" in changes:
        visibility = {**organization.field_visibility, **changes["field_visibility"]}
        organization.field_visibility = {
            field: level
            for field, level in visibility.items()
            if level != VISIBILITY_DEFAULTS.get(field)
        }
    return organization_save(organization=organization, changed_by=user, reason=reason)


@transaction.atomic
def organization_details_propose(
    *, organization: Organization, proposed: dict, user
) -> Submission | None:
    """Propose new details or contacts' roles: applied at once for a trusted organisation,
    queued otherwise.

    Returns the submission waiting for staff, or None when nothing waits (no change, or
    applied directly). What is proposed again replaces what was waiting for the same fields;
    the rest of the waiting proposal stays.
    """
    changes = organization_changes(organization, proposed)
    pending = pending_organization_changes(organization)
    if pending is not None and not organization.publishes_directly:
        kept = {k: v for k, v in pending.changes.items() if k not in proposed}
        changes = {**kept, **changes}
        if not changes:
            # Everything waiting was set back to what the public sees: nothing left to review.
            pending.delete()
            return None
    if not changes:
        return None
    if organization.publishes_directly:
        organization_changes_apply(
            organization=organization,
            changes=changes,
            user=user,
            reason="organisation space: published directly",
        )
        return None
    return _submission_open(
        obj=organization,
        kind=Submission.Kind.ORGANIZATION,
        organization=organization,
        user=user,
        changes=changes,
    )


def pending_organization_changes(organization: Organization) -> Submission | None:
    return (
        Submission.objects.open()
        .filter(kind=Submission.Kind.ORGANIZATION, organization=organization)
        .order_by("-submitted_at")
        .first()
    )


@transaction.atomic
def affiliation_role_set(
    *, affiliation: Affiliation, role: str, user, reason: str = "organisation space: role"
) -> Affiliation:
    """Change the role a contact holds, as the organisation's page shows it."""
    affiliation.role = role.strip()
    affiliation.full_clean()
    affiliation._history_user = user
    affiliation._change_reason = reason
    affiliation.save(update_fields=["role"])
    return affiliation


# Publication of projects, events and news ---------------------------------------------------


def _submission_open(
    *, obj, kind: str, organization: Organization, user, changes: dict | None = None
) -> Submission:
    """The open submission of `obj`, sent back to the queue; or a new one."""
    content_type = ContentType.objects.get_for_model(obj)
    submission = (
        Submission.objects.open()
        .select_for_update()
        .filter(content_type=content_type, object_id=obj.pk, kind=kind)
        .first()
    )
    if submission is None:
        submission = Submission(
            content_type=content_type, object_id=obj.pk, kind=kind, organization=organization
        )
    submission.status = Submission.Status.PENDING
    submission.changes = changes or {}
    submission.message = ""
    submission.submitted_by = user
    submission.submitted_at = timezone.now()
    submission.reviewed_by = None
    submission.reviewed_at = None
    submission.full_clean()
    submission.save()
    _notify_after_commit(submission)
    return submission


# Set while the demo network is loaded: its submissions are examples, nobody is to be mailed.
_mail_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "publishing_mail_suppressed", default=False
)


@contextlib.contextmanager
def without_mail():
    """Submissions made inside this block e-mail nobody (used by the demo)."""
    token = _mail_suppressed.set(True)
    try:
        yield
    finally:
        _mail_suppressed.reset(token)


def _notify_after_commit(submission: Submission) -> None:
    from .tasks import send_submission_mail

    if _mail_suppressed.get():
        return

    # The status of this step: the mail is sent later, when the submission may have moved on.
    status, message = submission.status, submission.message
    transaction.on_commit(
        lambda: send_submission_mail.enqueue(
            submission_id=submission.pk, status=status, message=message
        )
    )


def _publish(obj, *, user, reason: str) -> None:
    if isinstance(obj, Project):
        obj.is_published = True
        project_save(project=obj, changed_by=user, reason=reason)
        return
    if isinstance(obj, Event):
        obj.status = Event.Status.PUBLISHED
    elif isinstance(obj, NewsItem):
        obj.is_published = True
        obj.published_at = obj.published_at or timezone.now()
    else:
        raise ValueError(f"Cannot publish {obj!r}")
    obj.full_clean()
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


def is_published(obj) -> bool:
    if isinstance(obj, Event):
        return obj.status == Event.Status.PUBLISHED
    return bool(obj.is_published)


@transaction.atomic
def publication_request(*, obj, organization: Organization, user) -> Submission | None:
    """Ask to publish a project, event or news item of `organization`.

    A trusted organisation's object goes online at once (None is returned); otherwise the
    submission waits in the staff queue.
    """
    kind = KIND_OF_MODEL[type(obj)]
    if organization.publishes_directly:
        _publish(obj, user=user, reason="organisation space: published directly")
        return None
    return _submission_open(obj=obj, kind=kind, organization=organization, user=user)


@transaction.atomic
def event_propose(
    *,
    organization: Organization,
    user,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    event: Event | None = None,
    **fields,
) -> tuple[Event, Submission | None]:
    """Create (or correct, while unpublished) an event organised by `organization`, and ask
    for its publication. The event has one sitting, from `starts_at` to `ends_at`."""
    if event is None:
        event = Event(
            status=Event.Status.DRAFT,
            organized_by_network=False,
            slug=unique_slug(Event.objects.all(), fields.get("title", ""), fallback="evenement"),
        )
    elif event.status != Event.Status.DRAFT:
        raise ValidationError(_("A published event is changed by the network's team."))
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event._history_user = user
    event._change_reason = "organisation space"
    is_new = event.pk is None
    event.save()
    if is_new:
        event.partner_organizers.add(organization)
    sitting = event.sittings.first() or Sitting(event=event)
    sitting.starts_at, sitting.ends_at = starts_at, ends_at
    sitting.full_clean()
    sitting._history_user = user
    sitting.save()
    return event, publication_request(obj=event, organization=organization, user=user)


@transaction.atomic
def news_item_save(
    *, item: NewsItem, organization: Organization, user, image: CleanImage | None = None
) -> tuple[NewsItem, Submission | None]:
    """Save a news item of `organization` and ask for its publication.

    A news item changed after publication goes back offline until staff approve it again,
    unless the organisation publishes directly.
    """
    item.organization = organization
    if not organization.publishes_directly:
        item.is_published = False
    item._history_user = user
    item._change_reason = "organisation space"
    news_services.news_item_save(item=item, image=image, user=user)
    return item, publication_request(obj=item, organization=organization, user=user)


def _project_organization(project: Project, user) -> Organization | None:
    return project.lead_partner or getattr(user, "organization", None)


@transaction.atomic
def project_public_change(*, project: Project, user, update=None) -> str | None:
    """An editor changed what the public page of a published project shows: staff review it.

    A public news item (`update`) waits offline in the project's submission, the project
    staying online; any other change takes the project offline until staff approve it again,
    as for news items. Staff, trusted organisations and unpublished projects are not held.
    Returns the message for the editor, or None when nothing waits.
    """
    if can_edit_register(user) or not project.is_published:
        return None
    organization = _project_organization(project, user)
    if organization is None or organization.publishes_directly:
        return None
    content_type = ContentType.objects.get_for_model(project)
    waiting = (
        Submission.objects.open()
        .filter(content_type=content_type, object_id=project.pk, kind=Submission.Kind.PROJECT)
        .first()
    )
    updates = set(waiting.changes.get("updates", [])) if waiting else set()
    if update is not None:
        update.is_public = False
        update.save(update_fields=["is_public", "updated_at"])
        updates.add(update.pk)
        message = _(
            "Your news will appear on the project's page once the network's team approves it."
        )
    else:
        project.is_published = False
        project_save(
            project=project, changed_by=user, reason="organisation space: changed after publication"
        )
        message = _("The project is offline until the network's team approves your changes.")
    _submission_open(
        obj=project,
        kind=Submission.Kind.PROJECT,
        organization=organization,
        user=user,
        changes={"updates": sorted(updates)} if updates else None,
    )
    return message


def on_project_public_change(sender, *, project, user, update=None, **kwargs) -> str | None:
    return project_public_change(project=project, user=user, update=update)


# Moderation ----------------------------------------------------------------------------------


def _decide(submission: Submission, *, reviewer, status: str, message: str = "") -> Submission:
    submission.status, submission.message = status, message
    submission.message = message
    submission.reviewed_by = reviewer
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["status", "message", "reviewed_by", "reviewed_at"])
    _notify_after_commit(submission)
    return submission


def _lock_open(submission: Submission) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status not in (Submission.Status.PENDING, Submission.Status.CHANGES):
        raise ValidationError(_("This submission was already decided."))
    return locked


@transaction.atomic
def submission_approve(*, submission: Submission, reviewer) -> Submission:
    """Apply the proposed changes, or publish the object; then tell the editor."""
    submission = _lock_open(submission)
    reason = f"moderation: approved submission {submission.pk}"
    if submission.kind == Submission.Kind.ORGANIZATION:
        organization_changes_apply(
            organization=submission.organization,
            changes=submission.changes,
            user=reviewer,
            reason=reason,
        )
    else:
        _publish(submission.content_object, user=reviewer, reason=reason)
        held_updates = submission.changes.get("updates", [])
        if held_updates and isinstance(submission.content_object, Project):
            for held in submission.content_object.updates.filter(pk__in=held_updates):
                held.is_public = True
                held.save(update_fields=["is_public", "updated_at"])
    return _decide(submission, reviewer=reviewer, status=Submission.Status.APPROVED)


def _message_required(message: str) -> str:
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Tell the editor why.")})
    return message


@transaction.atomic
def submission_request_changes(*, submission: Submission, reviewer, message: str) -> Submission:
    """Send the submission back to the editor with what to change; nothing is published."""
    message = _message_required(message)
    submission = _lock_open(submission)
    return _decide(submission, reviewer=reviewer, status=Submission.Status.CHANGES, message=message)


@transaction.atomic
def submission_reject(*, submission: Submission, reviewer, reason: str) -> Submission:
    """Refuse the submission for `reason`; nothing is published."""
    reason = _message_required(reason)
    submission = _lock_open(submission)
    return _decide(submission, reviewer=reviewer, status=Submission.Status.REJECTED, message=reason)


def submission_notify(*, submission_id: int, status: str, message: str = "") -> None:
    """Mail the editor who submitted that it was received, or what staff decided; and the
    network's contact address that something waits in the queue."""
    submission = (
        Submission.objects.select_related("submitted_by", "organization", "content_type")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or submission.submitted_by is None:
        return
    editor = submission.submitted_by
    if not editor.is_active:
        return
    submission.status, submission.message = status, message
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "submission": submission,
            "editor": editor,
            "title": submission_title(submission),
            "space_url": settings.SITE_URL.rstrip("/")
            + reverse("publishing:space", args=[submission.organization_id]),
        }
        subject = {
            Submission.Status.PENDING: _("Received: %(title)s"),
            Submission.Status.APPROVED: _("Approved: %(title)s"),
            Submission.Status.CHANGES: _("Changes requested: %(title)s"),
            Submission.Status.REJECTED: _("Not published: %(title)s"),
        }.get(submission.status, _("%(title)s")) % {"title": context["title"]}
        body = render_to_string("publishing/submission_decision_email.txt", context)
        if status == Submission.Status.PENDING:
            # The network's team learns that something waits in the queue.
            staff_subject = _("To review: %(title)s") % {"title": context["title"]}
            staff_body = render_to_string(
                "publishing/submission_received_email.txt",
                {
                    **context,
                    "queue_url": settings.SITE_URL.rstrip("/")
                    + reverse("moderation:submission", args=[submission.pk]),
                },
            )
    send_mail(subject, body, None, [editor.email])
    if status == Submission.Status.PENDING and settings.NETWORK_CONTACT_EMAIL:
        send_mail(staff_subject, staff_body, None, [settings.NETWORK_CONTACT_EMAIL])


def submission_title(submission: Submission) -> str:
    if submission.kind == Submission.Kind.ORGANIZATION:
        return _("details of %(organization)s") % {"organization": submission.organization.name}
    obj = submission.content_object
    return str(obj) if obj is not None else submission.get_kind_display()
