"""Workspace pages of decentralised cooperation, under /espace/partenariats/.

Each view asks `access.py` who may see or change the partnership, then calls a selector or a
service. Documents are served through the application, after the same access check.
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observatoire.accounts.access import can_edit_register
from observatoire.core.text import fold

from . import selectors, services
from .access import access_partnership, can_edit_partnership, partnerships_for
from .forms import (
    AgreementForm,
    ContactForm,
    MissionForm,
    ParticipantFormSet,
    PartnershipForm,
    french_authorities,
)
from .models import Agreement, Mission, Partnership, PartnershipContact


def _add_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form, next to the field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _own_authority(user):
    """The French authority an organisation editor works for; None for staff."""
    if can_edit_register(user) or not user.organization_id:
        return None
    return french_authorities().filter(pk=user.organization_id).first()


def _may_create(user) -> bool:
    return can_edit_register(user) or _own_authority(user) is not None


@login_required
def partnership_list(request):
    """The partnerships the user may open: all for the back office, theirs for an officer."""
    queryset = partnerships_for(request.user)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    term = request.GET.get("q", "").strip()
    if status in Partnership.Status.values:
        queryset = queryset.filter(status=status)
    if kind in Partnership.Kind.values:
        queryset = queryset.filter(kind=kind)
    if term:
        key = fold(term)
        queryset = queryset.filter(
            Q(french_authority__search_text__contains=key)
            | Q(foreign_authority__search_text__contains=key)
        )
    page = Paginator(selectors.partnerships_list(queryset), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/list.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "term": term,
            "statuses": Partnership.Status.choices,
            "kinds": Partnership.Kind.choices,
            "can_create": _may_create(request.user),
        },
    )


@login_required
def partnership_create(request):
    if not _may_create(request.user):
        raise PermissionDenied
    own_authority = _own_authority(request.user)
    form = PartnershipForm(request.POST or None, own_authority=own_authority)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                foreign = data.get("foreign_authority")
                if foreign is None:
                    foreign = services.foreign_authority_create(
                        name=data["new_foreign_name"],
                        country=data["new_foreign_country"],
                        locality=data.get("new_foreign_town") or "",
                        latitude=data.get("new_foreign_latitude"),
                        longitude=data.get("new_foreign_longitude"),
                        changed_by=request.user,
                    )
                partnership = services.partnership_create(
                    french_authority=data["french_authority"],
                    foreign_authority=foreign,
                    kind=data["kind"],
                    status=data["status"],
                    since_year=data.get("since_year"),
                    ended_year=data.get("ended_year"),
                    description=data.get("description") or "",
                    themes=data.get("themes") or [],
                    officer=data.get("officer"),
                    is_public=data.get("is_public", True),
                    changed_by=request.user,
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The partnership was created."))
            return redirect("partnerships:detail", partnership.pk)
    return render(request, "partnerships/form.html", {"form": form, "partnership": None})


@login_required
def partnership_detail(request, pk: int):
    """The partnership's page: timeline, agreements, contacts, missions, projects, neighbours."""
    from observatoire.projects.access import projects_for

    partnership = access_partnership(request.user, pk)
    missions = list(selectors.partnership_missions(partnership))
    coming, past = selectors.missions_split(missions)
    visible_projects = projects_for(request.user)
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "can_edit": can_edit_partnership(request.user, partnership),
            "themes": list(partnership.themes.all()),
            "timeline": selectors.partnership_timeline(partnership),
            "agreements": selectors.partnership_agreements(partnership),
            "contacts": selectors.partnership_contacts(partnership),
            "coming_missions": coming,
            "past_missions": past,
            "projects": list(partnership.projects.only("pk", "title", "phase")),
            "readable_project_ids": set(
                visible_projects.filter(partnership=partnership).values_list("pk", flat=True)
            ),
            "cooperations": selectors.cooperations_in_place(partnership, projects=visible_projects),
        },
    )


@login_required
def partnership_edit(request, pk: int):
    partnership = access_partnership(request.user, pk, write=True)
    form = PartnershipForm(
        request.POST or None, instance=partnership, own_authority=_own_authority(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_save(
                partnership=form.instance,
                themes=form.cleaned_data.get("themes"),
                changed_by=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The partnership was saved."))
            return redirect("partnerships:detail", partnership.pk)
    return render(request, "partnerships/form.html", {"form": form, "partnership": partnership})


@login_required
def agreement_edit(request, pk: int, agreement_pk: int | None = None):
    partnership = access_partnership(request.user, pk, write=True)
    agreement = (
        get_object_or_404(Agreement, pk=agreement_pk, partnership=partnership)
        if agreement_pk
        else Agreement(partnership=partnership)
    )
    form = AgreementForm(
        request.POST or None, request.FILES or None, instance=agreement, partnership=partnership
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document_upload")
        if upload:
            form.instance.document = upload
        try:
            services.agreement_save(agreement=form.instance)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect("partnerships:detail", partnership.pk)
    return render(
        request,
        "partnerships/agreement_form.html",
        {"form": form, "partnership": partnership, "agreement": agreement},
    )


@login_required
def contact_create(request, pk: int):
    partnership = access_partnership(request.user, pk, write=True)
    form = ContactForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.contact_add(
                    partnership=partnership,
                    side=data["side"],
                    role=data.get("role") or "",
                    person=data.get("person"),
                    first_name=data.get("first_name") or "",
                    last_name=data.get("last_name") or "",
                    job_title=data.get("job_title") or "",
                    changed_by=request.user,
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The key contact was added."))
            return redirect("partnerships:detail", partnership.pk)
    return render(
        request, "partnerships/contact_form.html", {"form": form, "partnership": partnership}
    )


@login_required
@require_POST
def contact_remove(request, pk: int, contact_pk: int):
    partnership = access_partnership(request.user, pk, write=True)
    get_object_or_404(PartnershipContact, pk=contact_pk, partnership=partnership).delete()
    messages.success(request, _("The key contact was removed from the partnership."))
    return redirect("partnerships:detail", partnership.pk)


@login_required
def mission_edit(request, pk: int, mission_pk: int | None = None):
    partnership = access_partnership(request.user, pk, write=True)
    mission = (
        get_object_or_404(selectors.partnership_missions(partnership), pk=mission_pk)
        if mission_pk
        else Mission(partnership=partnership)
    )
    initial = [
        {
            "person": participant.person_id,
            "name": participant.name,
            "organization": participant.organization_id,
            "role": participant.role,
        }
        for participant in mission.participants.all()
    ] if mission.pk else []  # fmt: skip
    form = MissionForm(
        request.POST or None, request.FILES or None, instance=mission, partnership=partnership
    )
    formset = ParticipantFormSet(
        request.POST or None,
        initial=initial,
        prefix="participants",
        form_kwargs={"partnership": partnership},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        upload = form.cleaned_data.get("report_upload")
        if upload:
            form.instance.report_document = upload
        participants = [entry for f in formset.forms if (entry := f.entry())]
        try:
            services.mission_save(mission=form.instance, participants=participants)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The mission was saved."))
            return redirect("partnerships:detail", partnership.pk)
    return render(
        request,
        "partnerships/mission_form.html",
        {"form": form, "formset": formset, "partnership": partnership, "mission": mission},
    )


def _serve(field_file):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=os.path.basename(field_file.name))


@login_required
def agreement_document(request, pk: int, agreement_pk: int):
    partnership = access_partnership(request.user, pk)
    agreement = get_object_or_404(Agreement, pk=agreement_pk, partnership=partnership)
    return _serve(agreement.document)


@login_required
def mission_report(request, pk: int, mission_pk: int):
    partnership = access_partnership(request.user, pk)
    mission = get_object_or_404(selectors.partnership_missions(partnership), pk=mission_pk)
    return _serve(mission.report_document)
