"""The projects of the workspace: list, form and the tabs of a project's page.

Every view asks `access.py` who may read or change the project; forms keep what was typed when
they are refused, and the services give the reasons in French.
"""

import mimetypes
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire.accounts.access import can_edit_register
from observatoire.organizations.models import Visibility

from . import selectors, services
from .access import (
    access_project,
    access_project_creation,
    can_confirm_phase_change,
    can_create_project,
)
from .context import project_page_context
from .forms import (
    BodyMemberForm,
    ChecklistAddForm,
    ChecklistItemForm,
    DecisionForm,
    DocumentForm,
    ExpectedResultForm,
    ForeignPartnerForm,
    GovernanceBodyForm,
    IndicatorForm,
    IndicatorValueForm,
    MeetingCreateForm,
    MeetingLinkForm,
    ObjectiveForm,
    PartnerAddForm,
    PartnerForm,
    PlaceFormSet,
    ProjectForm,
    StakeholderForm,
    UpdateForm,
)
from .models import (
    PROJECT_VISIBILITY_DEFAULTS,
    WORKING_PHASES,
    BodyMember,
    ChecklistItem,
    Decision,
    ExpectedResult,
    GovernanceBody,
    Indicator,
    IndicatorValue,
    Objective,
    Phase,
    Project,
    ProjectDocument,
    ProjectPartner,
    ProjectPhoto,
    ProjectUpdate,
    Stakeholder,
)
from .signals import public_change_messages

PAGE_SIZE = 25


def _posted_pk(request, name: str) -> int | None:
    """The id posted under `name`, or None when it is not a number (then 404, never 500)."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def _validation_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# List and form ------------------------------------------------------------------------------


@login_required
def project_list(request):
    """The projects the user may open, filtered by the query string, a page at a time."""
    filters = selectors.ProjectFilters.from_params(request.GET)
    projects = selectors.project_list(user=request.user, filters=filters)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {key: value for key in selectors.FILTER_PARAMS if (value := request.GET.get(key, ""))}
    return render(
        request,
        "projects/workspace/list.html",
        {
            "page": page,
            "filters": filters,
            "choices": selectors.filter_choices(user=request.user),
            "query_string": urlencode(kept),
            "can_create": can_create_project(request.user),
        },
    )


def _project_form_page(request, project: Project, *, is_new: bool):
    user = request.user
    previous_phase = project.phase
    phase_warning = None
    if request.method == "POST":
        visibility_before = dict(project.field_visibility or {})
        form = ProjectForm(request.POST, instance=project, user=user)
        formset = PlaceFormSet(request.POST, instance=project, prefix="places")
        if "propose_dac" in request.POST:
            # Propose the DAC sectors of the chosen themes, keeping everything else typed.
            data = request.POST.copy()
            themes = [t for t in data.getlist("themes") if t.isdigit()]
            proposed = services.proposed_dac_sectors(themes).values_list("pk", flat=True)
            data.setlist("dac_sectors", [str(pk) for pk in proposed])
            form = ProjectForm(data, instance=project, user=user)
            formset = PlaceFormSet(data, instance=project, prefix="places")
            messages.info(request, _("DAC sectors proposed from the themes: check them."))
            return _render_form(request, project, form, formset, is_new=is_new)
        form_ok = form.is_valid()
        formset_ok = formset.is_valid()
        if form_ok and formset_ok:
            new_phase = form.cleaned_data["phase"]
            try:
                with transaction.atomic():
                    project = form.save(commit=False)
                    if not is_new:
                        project.phase = previous_phase
                    # An organisation editor creates the projects their organisation leads.
                    lead = user.organization if is_new and not can_edit_register(user) else None
                    services.project_save(project=project, changed_by=user, lead=lead)
                    form.save_m2m()
                    if not project.dac_sectors.exists() and form.cleaned_data["themes"]:
                        project.dac_sectors.set(
                            services.proposed_dac_sectors(form.cleaned_data["themes"])
                        )
                    formset.instance = project
                    formset.save()
                    if not is_new and new_phase != previous_phase:
                        services.project_change_phase(
                            project,
                            new_phase,
                            user=user,
                            force=bool(request.POST.get("confirm_phase"))
                            and can_confirm_phase_change(user, project),
                        )
                    moderation = []
                    if not is_new and services.public_form_change(
                        project,
                        form.changed_data,
                        places_changed=formset.has_changed(),
                        visibility_before=visibility_before,
                    ):
                        moderation = public_change_messages(project=project, user=user)
            except services.ChecklistIncomplete as incomplete:
                phase_warning = {
                    "lacking": incomplete.lacking,
                    "phase": Phase(new_phase).label,
                    "may_confirm": can_confirm_phase_change(user, project),
                }
                project.phase = previous_phase
                if is_new:
                    project.pk = None
            except ValidationError as error:
                # Shown above the form: the service may name fields the form does not have.
                form.add_error(None, ValidationError(error.messages))
                if is_new:
                    project.pk = None
            else:
                messages.success(
                    request,
                    _("The project was created.") if is_new else _("The project was saved."),
                )
                for message in moderation:
                    messages.info(request, message)
                return redirect("projects:detail", project.pk)
    else:
        form = ProjectForm(instance=project, user=user)
        formset = PlaceFormSet(instance=project, prefix="places")
    return _render_form(request, project, form, formset, is_new=is_new, phase_warning=phase_warning)


def _render_form(request, project, form, formset, *, is_new, phase_warning=None):
    template = "projects/workspace/create.html" if is_new else "projects/workspace/edit.html"
    context = {"form": form, "formset": formset, "is_new": is_new, "phase_warning": phase_warning}
    if not is_new:
        context = project_page_context(request, project, "overview", **context)
    return render(request, template, context)


@login_required
def project_create(request):
    access_project_creation(request.user)
    return _project_form_page(request, Project(), is_new=True)


@login_required
def project_edit(request, pk: int):
    project = access_project(request.user, pk, write=True)
    return _project_form_page(request, project, is_new=False)


# Overview -----------------------------------------------------------------------------------


@login_required
def project_detail(request, pk: int):
    access_project(request.user, pk)
    project = selectors.project_overview(pk)
    return render(
        request,
        "projects/workspace/detail.html",
        project_page_context(
            request,
            project,
            "overview",
            lacking=services.checklist_lacking(project),
            partners=list(project.partners.all()),
            iati_status_label=selectors.IATI_ACTIVITY_STATUS_LABELS.get(
                project.iati_activity_status, ""
            ),
        ),
    )


# Partners -----------------------------------------------------------------------------------


def _partners_changed(request, project: Project) -> None:
    """Partners are on the public page: an editor's change may wait for moderation."""
    if project.field_visibility.get("partners", PROJECT_VISIBILITY_DEFAULTS["partners"]) != (
        Visibility.PUBLIC
    ):
        return
    for message in public_change_messages(project=project, user=request.user):
        messages.info(request, message)


@login_required
def project_partners(request, pk: int):
    project = access_project(request.user, pk, write=request.method == "POST")
    term = request.GET.get("q", "").strip()[:100]
    add_form = PartnerAddForm()
    foreign_form = ForeignPartnerForm(prefix="foreign")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add":
            add_form = PartnerAddForm(request.POST)
            if add_form.is_valid():
                try:
                    partner = services.project_partner_add(
                        project=project,
                        organization=add_form.cleaned_data["organization"],
                        role=add_form.cleaned_data["role"],
                        iati_role=add_form.cleaned_data["iati_role"],
                        contribution=add_form.cleaned_data["contribution"],
                    )
                except ValidationError as error:
                    messages.error(request, _validation_messages(error))
                else:
                    messages.success(
                        request, _("%(partner)s was added to the project.") % {"partner": partner}
                    )
                    _partners_changed(request, project)
                    return redirect("projects:partners", project.pk)
        elif action == "remove":
            partner = get_object_or_404(
                ProjectPartner, pk=_posted_pk(request, "partner"), project=project
            )
            try:
                services.project_partner_remove(partner=partner)
            except ValidationError as error:
                messages.error(request, _validation_messages(error))
            else:
                messages.success(
                    request,
                    _("%(organization)s was removed from the project.")
                    % {"organization": partner.organization},
                )
                _partners_changed(request, project)
            return redirect("projects:partners", project.pk)
        elif action == "foreign":
            foreign_form = ForeignPartnerForm(request.POST, prefix="foreign")
            if foreign_form.is_valid():
                data = foreign_form.cleaned_data
                try:
                    with transaction.atomic():
                        organization = services.foreign_partner_create(
                            name=data["name"],
                            kind=data["kind"],
                            seat_country=data["seat_country"],
                            seat_locality=data["seat_locality"],
                            latitude=data["latitude"],
                            longitude=data["longitude"],
                            changed_by=request.user,
                        )
                        services.project_partner_add(
                            project=project, organization=organization, role=data["role"]
                        )
                except ValidationError as error:
                    foreign_form.add_error(None, ValidationError(error.messages))
                else:
                    messages.success(
                        request,
                        _("%(organization)s was created and added to the project.")
                        % {"organization": organization},
                    )
                    _partners_changed(request, project)
                    return redirect("projects:partners", project.pk)
    return render(
        request,
        "projects/workspace/partners.html",
        project_page_context(
            request,
            project,
            "partners",
            partners=selectors.project_partners(project),
            term=term,
            found=selectors.register_organizations_matching(term) if term else [],
            add_form=add_form,
            foreign_form=foreign_form,
            roles=ProjectPartner.Role.choices,
        ),
    )


@login_required
def project_partner_edit(request, pk: int, partner_pk: int):
    project = access_project(request.user, pk, write=True)
    partner = get_object_or_404(
        ProjectPartner.objects.select_related("organization"), pk=partner_pk, project=project
    )
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # the database refuses a second lead partner
            form.add_error("role", _("The project already has a lead partner."))
        else:
            messages.success(request, _("The partner was saved."))
            return redirect("projects:partners", project.pk)
    return render(
        request,
        "projects/workspace/partner_form.html",
        project_page_context(request, project, "partners", form=form, partner=partner),
    )


# Checklist ----------------------------------------------------------------------------------


@login_required
def project_checklist(request, pk: int):
    project = access_project(request.user, pk, write=request.method == "POST")
    phase_warning = None
    add_form = ChecklistAddForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action in ("tick", "untick"):
            item = get_object_or_404(ChecklistItem, pk=_posted_pk(request, "item"), project=project)
            services.checklist_item_tick(item=item, user=request.user, done=action == "tick")
            return redirect(reverse("projects:checklist", args=[project.pk]) + f"#item-{item.pk}")
        if action == "add":
            add_form = ChecklistAddForm(request.POST)
            if add_form.is_valid():
                services.checklist_item_add(
                    project=project, phase=project.phase, title=add_form.cleaned_data["title"]
                )
                return redirect("projects:checklist", project.pk)
        if action == "phase":
            phase = request.POST.get("phase", "")
            if phase not in Phase.values:
                messages.error(request, _("Choose a phase."))
                return redirect("projects:checklist", project.pk)
            may_confirm = can_confirm_phase_change(request.user, project)
            force = bool(request.POST.get("confirm")) and may_confirm
            try:
                services.project_change_phase(project, phase, user=request.user, force=force)
            except services.ChecklistIncomplete as incomplete:
                phase_warning = {
                    "lacking": incomplete.lacking,
                    "phase": phase,
                    "phase_label": Phase(phase).label,
                    "may_confirm": may_confirm,
                }
            else:
                messages.success(
                    request,
                    _("The project is now in the phase “%(phase)s”.")
                    % {"phase": project.get_phase_display()},
                )
                return redirect("projects:checklist", project.pk)
    if project.phase in WORKING_PHASES:
        services.checklist_for_phase(project, project.phase)
    following = services.next_phase(project.phase)
    return render(
        request,
        "projects/workspace/checklist.html",
        project_page_context(
            request,
            project,
            "checklist",
            phases=selectors.checklist_by_phase(project),
            lacking=services.checklist_lacking(project),
            next_phase=following,
            next_phase_label=Phase(following).label if following else "",
            phase_choices=Phase.choices,
            phase_warning=phase_warning,
            add_form=add_form,
            phase_changes=selectors.phase_changes(project),
        ),
    )


@login_required
def checklist_item_edit(request, pk: int, item_pk: int):
    project = access_project(request.user, pk, write=True)
    item = get_object_or_404(ChecklistItem, pk=item_pk, project=project)
    form = ChecklistItemForm(request.POST or None, instance=item, project=project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The entry “%(title)s” was saved.") % {"title": item.title})
        return redirect("projects:checklist", project.pk)
    return render(
        request,
        "projects/workspace/checklist_item_form.html",
        project_page_context(request, project, "checklist", form=form, item=item),
    )


# Stakeholders -------------------------------------------------------------------------------


@login_required
def project_stakeholders(request, pk: int):
    project = access_project(request.user, pk, write=request.method == "POST")
    term = request.GET.get("q", "").strip()[:100]
    found = selectors.register_organizations_matching(term) if term else []
    form = StakeholderForm(
        request.POST or None,
        instance=Stakeholder(project=project),
        project=project,
        extra_organizations=found,
    )
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            stakeholder = get_object_or_404(
                Stakeholder, pk=_posted_pk(request, "stakeholder"), project=project
            )
            stakeholder.delete()
            messages.success(request, _("The stakeholder was removed."))
            return redirect("projects:stakeholders", project.pk)
        if form.is_valid():
            form.save()
            messages.success(request, _("The stakeholder was added."))
            return redirect("projects:stakeholders", project.pk)
    stakeholders = selectors.project_stakeholders(project)
    return render(
        request,
        "projects/workspace/stakeholders.html",
        project_page_context(
            request,
            project,
            "stakeholders",
            stakeholders=stakeholders,
            points=selectors.stakeholder_matrix(stakeholders),
            grid=range(6),
            form=form,
            term=term,
            found=found,
        ),
    )


@login_required
def stakeholder_edit(request, pk: int, stakeholder_pk: int):
    project = access_project(request.user, pk, write=True)
    stakeholder = get_object_or_404(Stakeholder, pk=stakeholder_pk, project=project)
    form = StakeholderForm(request.POST or None, instance=stakeholder, project=project)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The stakeholder was saved."))
        return redirect("projects:stakeholders", project.pk)
    return render(
        request,
        "projects/workspace/stakeholder_form.html",
        project_page_context(request, project, "stakeholders", form=form, stakeholder=stakeholder),
    )


# Governance ---------------------------------------------------------------------------------


@login_required
def project_governance(request, pk: int):
    project = access_project(request.user, pk, write=request.method == "POST")
    body_form = GovernanceBodyForm(prefix="body")
    decision_form = DecisionForm(prefix="decision", project=project)
    member_forms: dict[int, BodyMemberForm] = {}
    meeting_forms: dict[int, MeetingCreateForm] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        body = None
        if request.POST.get("body_id"):
            body = get_object_or_404(
                GovernanceBody, pk=_posted_pk(request, "body_id"), project=project
            )
        if action == "delete_body" and body:
            body.delete()
            messages.success(request, _("The body was deleted."))
            return redirect("projects:governance", project.pk)
        if action == "delete_decision":
            get_object_or_404(Decision, pk=_posted_pk(request, "pk"), project=project).delete()
            messages.success(request, _("The decision was deleted."))
            return redirect("projects:governance", project.pk)
        if action == "add_body":
            body_form = GovernanceBodyForm(
                request.POST, prefix="body", instance=GovernanceBody(project=project)
            )
            if body_form.is_valid():
                body_form.save()
                messages.success(request, _("The body was added."))
                return redirect("projects:governance", project.pk)
        elif action == "add_member" and body:
            member_form = BodyMemberForm(request.POST, prefix=f"member{body.pk}", project=project)
            if member_form.is_valid():
                BodyMember.objects.update_or_create(
                    body=body,
                    person=member_form.cleaned_data["person"],
                    defaults={
                        "organization": member_form.cleaned_data["organization"],
                        "role": member_form.cleaned_data["role"],
                    },
                )
                messages.success(request, _("The member was added."))
                return redirect("projects:governance", project.pk)
            member_forms[body.pk] = member_form
        elif action == "remove_member" and body:
            BodyMember.objects.filter(body=body, pk=_posted_pk(request, "member")).delete()
            messages.success(request, _("The member was removed."))
            return redirect("projects:governance", project.pk)
        elif action == "link_meeting" and body:
            link_form = MeetingLinkForm(request.POST)
            if link_form.is_valid():
                body.meetings.add(link_form.cleaned_data["event"])
                messages.success(request, _("The meeting was linked to the body."))
            else:
                messages.error(request, _("Choose a meeting."))
            return redirect("projects:governance", project.pk)
        elif action == "create_meeting" and body:
            meeting_form = MeetingCreateForm(request.POST, prefix=f"meeting{body.pk}")
            if meeting_form.is_valid():
                services.body_meeting_create(
                    project, body, **meeting_form.cleaned_data, user=request.user
                )
                messages.success(request, _("The meeting was created as an event of the body."))
                return redirect("projects:governance", project.pk)
            meeting_forms[body.pk] = meeting_form
        elif action == "add_decision":
            decision_form = DecisionForm(
                request.POST,
                prefix="decision",
                project=project,
                instance=_new_decision(project),
            )
            if decision_form.is_valid():
                decision_form.save()
                messages.success(request, _("The decision was logged."))
                return redirect("projects:governance", project.pk)
    bodies = list(
        project.bodies.prefetch_related("members__person", "members__organization", "meetings")
    )
    link_form = MeetingLinkForm()
    link_form.fields["event"].choices = list(link_form.fields["event"].choices)
    # One query for the choices of all the bodies' member forms, not two per body.
    blank = BodyMemberForm(project=project)
    choices = {name: list(blank.fields[name].choices) for name in ("person", "organization")}
    for body in bodies:
        body.member_form = member_forms.get(body.pk)
        if body.member_form is None:
            body.member_form = BodyMemberForm(prefix=f"member{body.pk}", project=project)
            for name, field_choices in choices.items():
                body.member_form.fields[name].choices = field_choices
        body.meeting_form = meeting_forms.get(body.pk) or MeetingCreateForm(
            prefix=f"meeting{body.pk}"
        )
    return render(
        request,
        "projects/workspace/governance.html",
        project_page_context(
            request,
            project,
            "governance",
            bodies=bodies,
            body_form=body_form,
            decision_form=decision_form,
            link_form=link_form,
            decisions=list(project.decisions.select_related("body", "meeting")),
        ),
    )


def _new_decision(project):
    return Decision(project=project)


# Results ------------------------------------------------------------------------------------

# What the results tab may delete, and how each row leads back to its project.
RESULT_PARTS = {
    "objective": (Objective, "project"),
    "result": (ExpectedResult, "objective__project"),
    "indicator": (Indicator, "result__objective__project"),
    "value": (IndicatorValue, "indicator__result__objective__project"),
}


# What the results tab may add: the form and the message once saved.
RESULT_FORMS = {
    "objective": (ObjectiveForm, gettext_lazy("The objective was added.")),
    "result": (ExpectedResultForm, gettext_lazy("The expected result was added.")),
    "indicator": (IndicatorForm, gettext_lazy("The indicator was added.")),
    "value": (IndicatorValueForm, gettext_lazy("The value was recorded.")),
}


@login_required
def project_results(request, pk: int):
    project = access_project(request.user, pk, write=request.method == "POST")
    forms_ = {
        action: form_class(prefix=action, project=project)
        for action, (form_class, _saved) in RESULT_FORMS.items()
    }
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action.startswith("delete_") and action[7:] in RESULT_PARTS:
            model, lookup = RESULT_PARTS[action[7:]]
            row = get_object_or_404(model, pk=_posted_pk(request, "pk"), **{lookup: project})
            row.delete()
            messages.success(request, _("Deleted."))
            return redirect("projects:results", project.pk)
        if action in RESULT_FORMS:
            form_class, saved = RESULT_FORMS[action]
            form = form_class(request.POST, prefix=action, project=project)
            forms_[action] = form
            if form.is_valid():
                try:
                    form.save()
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, saved)
                    return redirect("projects:results", project.pk)
    return render(
        request,
        "projects/workspace/results.html",
        project_page_context(
            request, project, "results", objectives=selectors.project_results(project), **forms_
        ),
    )


# Documents ----------------------------------------------------------------------------------


@login_required
def project_documents(request, pk: int):
    project = access_project(request.user, pk, write=request.method == "POST")
    form = DocumentForm()
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            document = get_object_or_404(
                ProjectDocument, pk=_posted_pk(request, "document"), project=project
            )
            document.file.delete(save=False)
            document.delete()
            messages.success(request, _("The document was deleted."))
            return redirect("projects:documents", project.pk)
        form = DocumentForm(
            request.POST,
            request.FILES,
            instance=ProjectDocument(project=project, uploaded_by=request.user),
        )
        if form.is_valid():
            form.save()
            messages.success(request, _("The document was added."))
            return redirect("projects:documents", project.pk)
    return render(
        request,
        "projects/workspace/documents.html",
        project_page_context(
            request,
            project,
            "documents",
            documents=list(project.documents.select_related("uploaded_by")),
            form=form,
        ),
    )


@login_required
def project_document_download(request, pk: int, document_pk: int):
    """A document, downloaded through the application: the media folder is not published."""
    project = access_project(request.user, pk)
    document = get_object_or_404(ProjectDocument, pk=document_pk, project=project)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    name = PurePosixPath(document.file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


# News ---------------------------------------------------------------------------------------


@login_required
def project_news(request, pk: int):
    project = access_project(request.user, pk, write=request.method == "POST")
    form = UpdateForm()
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            update = get_object_or_404(
                ProjectUpdate, pk=_posted_pk(request, "update"), project=project
            )
            for photo in update.photos.all():
                photo.image.delete(save=False)
            update.delete()
            messages.success(request, _("The news was deleted."))
            return redirect("projects:news", project.pk)
        form = UpdateForm(
            request.POST,
            request.FILES,
            instance=ProjectUpdate(project=project, author=request.user),
        )
        if form.is_valid():
            with transaction.atomic():
                update = form.save()
                if form.cleaned_photo is not None:
                    services.project_photo_add(
                        update=update,
                        image=form.cleaned_photo,
                        caption=form.cleaned_data["caption"],
                        credit=form.cleaned_data["credit"],
                    )
                moderation = (
                    public_change_messages(project=project, user=request.user, update=update)
                    if update.is_public
                    else []
                )
            if not update.is_public:
                messages.success(request, _("The news was saved; it is not public."))
            elif moderation:
                for message in moderation:
                    messages.info(request, message)
            else:
                messages.success(request, _("The news was published on the project's page."))
            return redirect("projects:news", project.pk)
    return render(
        request,
        "projects/workspace/news.html",
        project_page_context(
            request,
            project,
            "news",
            updates=list(project.updates.prefetch_related("photos").select_related("author")),
            form=form,
        ),
    )


@login_required
def project_photo(request, pk: int, photo_pk: int):
    """A photo of the project's news, served through the application."""
    project = access_project(request.user, pk)
    photo = get_object_or_404(ProjectPhoto, pk=photo_pk, update__project=project)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    name = PurePosixPath(photo.image.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, filename=name, content_type=content_type)
