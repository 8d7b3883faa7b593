"""Staff pages of the calls (/espace/appels/): calls, their forms, applications and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observatoire.core.exports import export_response

from . import selectors, services
from .access import access_calls, can_edit_calls
from .forms import CallForm, EligibilityForm, FormFieldForm, StageForm
from .models import Application, Attachment, Call, FormField, Stage


@login_required
def call_list(request):
    access_calls(request.user)
    return render(
        request,
        "calls/staff/list.html",
        {"calls": selectors.staff_calls(), "can_edit": can_edit_calls(request.user)},
    )


def _field_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


M2M_FIELDS = ("eligible_kinds", "eligible_departements", "themes", "sdgs")


@login_required
def call_form(request, pk: int | None = None):
    access_calls(request.user, write=True)
    call = get_object_or_404(Call, pk=pk) if pk else Call()
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        call = form.save(commit=False)
        try:
            call = services.call_save(
                call=call,
                stages=form.stages_data(),
                by=request.user,
                m2m={name: form.cleaned_data[name] for name in M2M_FIELDS},
            )
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("calls_staff:call", pk=call.pk)
    return render(request, "calls/staff/call_form.html", {"form": form, "call": call})


@login_required
def call_detail(request, pk: int):
    access_calls(request.user)
    call = get_object_or_404(Call, pk=pk)
    stages = list(call.stages.order_by("number").prefetch_related("fields"))
    return render(
        request,
        "calls/staff/call.html",
        {"call": call, "stages": stages, "can_edit": can_edit_calls(request.user)},
    )


@login_required
@require_POST
def call_publish(request, pk: int):
    access_calls(request.user, write=True)
    call = get_object_or_404(Call, pk=pk)
    published = request.POST.get("publish") == "1"
    services.call_set_published(call=call, published=published)
    messages.success(
        request, _("The call is published.") if published else _("The call is no longer public.")
    )
    return redirect("calls_staff:call", pk=call.pk)


def _stage(pk: int, number: int) -> Stage:
    return get_object_or_404(Stage.objects.select_related("call"), call_id=pk, number=number)


@login_required
def stage_form(request, pk: int, number: int, field_pk: int | None = None):
    """The form builder of a stage: its fields in order, and a field to add or edit."""
    access_calls(request.user, write=request.method == "POST")
    stage = _stage(pk, number)
    field = get_object_or_404(FormField, pk=field_pk, stage=stage) if field_pk else None
    form = FormFieldForm(
        request.POST or None, instance=field or FormField(stage=stage), prefix="field"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.form_field_save(field=form.save(commit=False))
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, _("The field is saved."))
            return redirect("calls_staff:stage_form", pk=pk, number=number)
    return render(
        request,
        "calls/staff/stage_form.html",
        {
            "call": stage.call,
            "stage": stage,
            "fields": stage.fields.all(),
            "form": form,
            "editing": field,
            "can_edit": can_edit_calls(request.user),
        },
    )


@login_required
@require_POST
def field_move(request, pk: int, number: int, field_pk: int):
    access_calls(request.user, write=True)
    stage = _stage(pk, number)
    field = get_object_or_404(FormField, pk=field_pk, stage=stage)
    services.form_field_move(field=field, offset=-1 if request.POST.get("move") == "up" else 1)
    return redirect("calls_staff:stage_form", pk=pk, number=number)


@login_required
@require_POST
def field_delete(request, pk: int, number: int, field_pk: int):
    access_calls(request.user, write=True)
    stage = _stage(pk, number)
    field = get_object_or_404(FormField, pk=field_pk, stage=stage)
    if services.form_field_delete(field=field):
        messages.success(request, _("The field is removed."))
    else:
        messages.error(request, _("Applicants have answered this field: it cannot be removed."))
    return redirect("calls_staff:stage_form", pk=pk, number=number)


@login_required
def stage_preview(request, pk: int, number: int):
    access_calls(request.user)
    stage = _stage(pk, number)
    form = StageForm(stage=stage, answers={}, attachments={})
    return render(
        request, "calls/staff/preview.html", {"call": stage.call, "stage": stage, "form": form}
    )


def _stage_number(request) -> int | None:
    value = request.GET.get("etape", "")
    return int(value) if value in ("1", "2") else None


def _status(request) -> str:
    value = request.GET.get("statut", "")
    return value if value in Application.Status.values else ""


@login_required
def applications(request, pk: int):
    access_calls(request.user)
    call = get_object_or_404(Call, pk=pk)
    stage_number, status = _stage_number(request), _status(request)
    return render(
        request,
        "calls/staff/applications.html",
        {
            "call": call,
            "applications": selectors.staff_applications(
                call=call, stage_number=stage_number, status=status
            ),
            "stage_number": stage_number,
            "status": status,
            "statuses": Application.Status.choices,
            "stages": call.stages.order_by("number"),
        },
    )


def _eligibility_text(application: Application) -> str:
    if application.is_eligible is None:
        return _("not checked")
    return _("eligible") if application.is_eligible else _("not eligible")


@login_required
def applications_export(request, pk: int):
    access_calls(request.user)
    call = get_object_or_404(Call, pk=pk)
    applications = selectors.staff_applications(
        call=call, stage_number=_stage_number(request), status=_status(request)
    )
    headers = [
        _("Organisation"),
        _("Project title"),
        _("Status"),
        _("Stage reached"),
        _("Eligibility"),
        _("Eligibility notes"),
        _("Amount requested (EUR)"),
        _("Contact"),
        _("Contact e-mail"),
        _("Submitted at"),
    ]
    rows = (
        [
            application.applicant_name,
            application.project_title,
            application.get_status_display(),
            application.stage_reached,
            _eligibility_text(application),
            application.eligibility_notes,
            application.amount_requested,
            application.contact_name,
            application.contact_email,
            timezone.localtime(application.submitted_at).strftime("%Y-%m-%d %H:%M")
            if application.submitted_at
            else "",
        ]
        for application in applications
    )
    return export_response(
        headers=headers,
        rows=rows,
        file_format=request.GET.get("format", "csv"),
        filename=f"candidatures-{call.slug}",
    )


@login_required
def application_detail(request, pk: int):
    access_calls(request.user)
    application = get_object_or_404(
        Application.objects.select_related("call", "organization", "referencing_request"), pk=pk
    )
    form = EligibilityForm(
        request.POST or None,
        initial={
            "is_eligible": "1" if application.is_eligible else "0",
            "notes": application.eligibility_notes,
        },
    )
    if request.method == "POST":
        access_calls(request.user, write=True)
        if form.is_valid():
            services.application_set_eligibility(
                application=application,
                is_eligible=form.cleaned_data["is_eligible"],
                notes=form.cleaned_data["notes"],
                by=request.user,
            )
            messages.success(request, _("The eligibility is recorded."))
            return redirect("calls_staff:application", pk=application.pk)
    submissions = [
        {"submission": submission, "rows": selectors.submission_summary(submission=submission)}
        for submission in application.submissions.select_related("stage").order_by("stage__number")
    ]
    return render(
        request,
        "calls/staff/application.html",
        {
            "application": application,
            "call": application.call,
            "submissions": submissions,
            "events": application.events.select_related("by"),
            "form": form,
            "can_edit": can_edit_calls(request.user),
        },
    )


@login_required
def attachment_download(request, pk: int):
    """An applicant's file, for staff only; always downloaded, never shown inline."""
    access_calls(request.user)
    attachment = get_object_or_404(Attachment, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )
