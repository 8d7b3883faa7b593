"""The organisation space (/espace/organisation/) and the moderation queue (/espace/moderation/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observatoire.accounts.access import can_edit_register
from observatoire.accounts.models import Role
from observatoire.events.models import Event
from observatoire.news.models import NewsItem
from observatoire.projects.access import access_project

from . import selectors, services
from .access import access_moderation, access_organization_space
from .forms import (
    ContactRoleForm,
    DecisionForm,
    EventProposalForm,
    NewsItemForm,
    OrganizationDetailsForm,
    validation_messages,
)
from .models import Submission


def _queued_or_published(request, submission: Submission | None, *, queued: str, published: str):
    messages.success(request, queued if submission is not None else published)


@login_required
def space_home(request):
    """An editor's own space; staff are sent to the queue (they open a space from a record)."""
    user = request.user
    if user.role == Role.ORGANIZATION_EDITOR and user.organization_id:
        return redirect("publishing:space", user.organization_id)
    if can_edit_register(user):
        return redirect("moderation:queue")
    raise PermissionDenied


@login_required
def space(request, pk: int):
    organization = access_organization_space(request.user, pk)
    return render(
        request,
        "publishing/space.html",
        {
            "organization": organization,
            "pending_changes": services.pending_organization_changes(organization),
            "projects": selectors.organization_projects(organization, user=request.user),
            "events": selectors.organization_events(organization),
            "news_items": selectors.organization_news(organization),
            "submissions": selectors.organization_submissions(organization)[:20],
            "contacts": selectors.organization_contacts(organization),
        },
    )


@login_required
def details(request, pk: int):
    organization = access_organization_space(request.user, pk)
    pending = services.pending_organization_changes(organization)
    proposed = (
        {**services.organization_current_values(organization), **pending.changes}
        if pending
        else None
    )
    form = OrganizationDetailsForm(
        request.POST or None, organization=organization, proposed=proposed
    )
    if request.method == "POST" and form.is_valid():
        try:
            _proposal_saved(request, organization, form.proposed())
        except ValidationError as error:
            form.add_error(None, validation_messages(error))
        else:
            return redirect("publishing:space", organization.pk)
    return render(
        request,
        "publishing/details.html",
        {"organization": organization, "form": form, "pending": pending},
    )


def _proposal_saved(request, organization, proposed: dict) -> None:
    """Hand `proposed` to the service and tell the editor what became of it."""
    changed = bool(services.organization_changes(organization, proposed))
    submission = services.organization_details_propose(
        organization=organization, proposed=proposed, user=request.user
    )
    if not changed:
        messages.info(request, _("Nothing was changed."))
    else:
        _queued_or_published(
            request,
            submission,
            queued=_(
                "Your changes were sent to the network's team: the public page shows "
                "them once approved."
            ),
            published=_("Your changes are online."),
        )


@login_required
def contacts(request, pk: int):
    organization = access_organization_space(request.user, pk)
    contacts = selectors.organization_contacts(organization)
    pending = services.pending_organization_changes(organization)
    pending_roles = pending.changes.get("roles", {}) if pending else {}
    forms = [
        ContactRoleForm(
            request.POST or None,
            prefix=f"contact-{c.affiliation.pk}",
            initial={"role": pending_roles.get(str(c.affiliation.pk), c.affiliation.role)},
        )
        for c in contacts
    ]
    rows = list(zip(contacts, forms, strict=True))
    if request.method == "POST" and all(form.is_valid() for form in forms):
        roles = {str(c.affiliation.pk): form.cleaned_data["role"] for c, form in rows}
        try:
            _proposal_saved(request, organization, {"roles": roles})
        except ValidationError as error:
            messages.error(request, " ".join(validation_messages(error)))
        else:
            return redirect("publishing:space", organization.pk)
    return render(
        request,
        "publishing/contacts.html",
        {"organization": organization, "rows": rows, "pending": pending_roles},
    )


@login_required
@require_POST
def project_publish(request, pk: int, project_pk: int):
    organization = access_organization_space(request.user, pk)
    project = access_project(request.user, project_pk, write=True)
    if not project.partners.filter(organization=organization, role="lead").exists():
        raise PermissionDenied
    if project.is_published:
        messages.info(request, _("This project is already published."))
        return redirect("publishing:space", organization.pk)
    submission = services.publication_request(
        obj=project, organization=organization, user=request.user
    )
    _queued_or_published(
        request,
        submission,
        queued=_("The publication of “%(title)s” was asked for: the network's team will review it.")
        % {"title": project.title},
        published=_("“%(title)s” is published.") % {"title": project.title},
    )
    return redirect("publishing:space", organization.pk)


def _event_form_page(request, organization, event: Event | None):
    sitting = event.sittings.first() if event else None
    initial = {"starts_at": sitting.starts_at, "ends_at": sitting.ends_at} if sitting else None
    form = EventProposalForm(request.POST or None, instance=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event, submission = services.event_propose(
                organization=organization,
                user=request.user,
                event=event,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                **form.event_fields(),
            )
        except ValidationError as error:
            form.add_error(None, validation_messages(error))
        else:
            _queued_or_published(
                request,
                submission,
                queued=_("The event was sent to the network's team for review."),
                published=_("The event is published in the calendar."),
            )
            return redirect("publishing:space", organization.pk)
    return render(
        request,
        "publishing/event_form.html",
        {"organization": organization, "form": form, "event": event},
    )


@login_required
def event_create(request, pk: int):
    organization = access_organization_space(request.user, pk)
    return _event_form_page(request, organization, None)


@login_required
def event_edit(request, pk: int, event_pk: int):
    organization = access_organization_space(request.user, pk)
    event = get_object_or_404(
        Event, pk=event_pk, partner_organizers=organization, status=Event.Status.DRAFT
    )
    return _event_form_page(request, organization, event)


def _news_form_page(request, organization, item: NewsItem):
    form = NewsItemForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        for name, value in form.news_fields().items():
            setattr(item, name, value)
        try:
            item, submission = services.news_item_save(
                item=item, organization=organization, user=request.user, image=form.cleaned_image
            )
        except ValidationError as error:
            form.add_error(None, validation_messages(error))
        else:
            _queued_or_published(
                request,
                submission,
                queued=_("The news item was sent to the network's team for review."),
                published=_("The news item is published."),
            )
            return redirect("publishing:space", organization.pk)
    return render(
        request,
        "publishing/news_form.html",
        {"organization": organization, "form": form, "item": item},
    )


@login_required
def news_create(request, pk: int):
    organization = access_organization_space(request.user, pk)
    return _news_form_page(request, organization, NewsItem(language="fr"))


@login_required
def news_edit(request, pk: int, news_pk: int):
    organization = access_organization_space(request.user, pk)
    item = get_object_or_404(NewsItem, pk=news_pk, organization=organization)
    return _news_form_page(request, organization, item)


# Moderation ----------------------------------------------------------------------------------


@login_required
def moderation_queue(request):
    access_moderation(request.user)
    status = request.GET.get("statut", Submission.Status.PENDING)
    if status not in Submission.Status.values:
        status = Submission.Status.PENDING
    counts = selectors.moderation_counts()
    tabs = [(value, label, counts[value]) for value, label in Submission.Status.choices]
    return render(
        request,
        "publishing/queue.html",
        {
            "status": status,
            "tabs": tabs,
            "submissions": selectors.moderation_queue(status)[:200],
        },
    )


@login_required
def submission_detail(request, pk: int):
    access_moderation(request.user)
    submission = get_object_or_404(
        Submission.objects.select_related("organization", "submitted_by", "reviewed_by"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        message = form.cleaned_data["message"]
        decide = {
            "approve": lambda: services.submission_approve(
                submission=submission, reviewer=request.user
            ),
            "changes": lambda: services.submission_request_changes(
                submission=submission, reviewer=request.user, message=message
            ),
            "reject": lambda: services.submission_reject(
                submission=submission, reviewer=request.user, reason=message
            ),
        }.get(action)
        if decide is not None:
            try:
                decide()
            except ValidationError as error:
                if hasattr(error, "message_dict") and "message" in error.message_dict:
                    form.add_error("message", error.message_dict["message"])
                else:
                    form.add_error(None, validation_messages(error))
            else:
                done = {
                    "approve": _("Approved: the editor was told by e-mail."),
                    "changes": _("Sent back to the editor with your message."),
                    "reject": _("Rejected: the editor was told why by e-mail."),
                }[action]
                messages.success(request, done)
                return redirect("moderation:queue")
    return render(
        request,
        "publishing/submission.html",
        {
            "submission": submission,
            "title": services.submission_title(submission),
            "target": submission.content_object,
            "diff": selectors.submission_diff(submission),
            "held_updates": selectors.submission_held_updates(submission),
            "form": form,
            "is_open": submission.status in (Submission.Status.PENDING, Submission.Status.CHANGES),
        },
    )
