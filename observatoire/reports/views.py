"""Staff pages of the annual report (under /observatoire/rapports/) and its public page.

Each view asks `access.py`, then calls one service or selector and renders. Reordering and
removing are plain POST buttons: the editor works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import render as rendering
from . import selectors, services
from .access import access_block, access_report, access_section, can_manage_reports
from .forms import BlockForm, NewReportForm, ReportForm, SectionForm
from .models import AnnualReport


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _refuse(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _editor(report: AnnualReport) -> str:
    return reverse("reports:detail", args=[report.pk])


@login_required
def report_list(request):
    if not can_manage_reports(request.user):
        raise PermissionDenied
    form = NewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = services.report_create(
            year=form.cleaned_data["year"], title=form.cleaned_data["title"]
        )
        messages.success(request, _("The report was created from the default template."))
        return redirect(_editor(report))
    reports = AnnualReport.objects.select_related("snapshot").order_by("-year", "-pk")
    return render(request, "reports/list.html", {"reports": reports, "form": form})


@login_required
def report_detail(request, pk: int):
    """The editor: the report's heading, its sections and their blocks, with the actions."""
    report = access_report(request.user, pk)
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "sections": selectors.sections_of(report=report),
            "block_form": BlockForm(),
        },
    )


@login_required
def report_edit(request, pk: int):
    report = access_report(request.user, pk)
    form = ReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(report=report, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(_editor(report))
    return render(request, "reports/form.html", {"report": report, "form": form})


@login_required
def section_edit(request, pk: int, section_pk: int | None = None):
    report = access_report(request.user, pk)
    section = access_section(request.user, pk, section_pk) if section_pk else None
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            if section is None:
                section = services.section_add(report=report, **form.cleaned_data)
            else:
                services.section_update(section=section, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The section was saved."))
            return redirect(f"{_editor(report)}#section-{section.pk}")
    return render(
        request, "reports/section_form.html", {"report": report, "section": section, "form": form}
    )


@require_POST
@login_required
def section_remove(request, pk: int, section_pk: int):
    section = access_section(request.user, pk, section_pk)
    try:
        services.section_remove(section=section)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The section “%(title)s” was removed.") % {"title": section})
    return redirect(_editor(section.report))


@require_POST
@login_required
def section_move(request, pk: int, section_pk: int):
    section = access_section(request.user, pk, section_pk)
    try:
        services.section_move(section=section, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        _refuse(request, error)
    return redirect(f"{_editor(section.report)}#section-{section.pk}")


@require_POST
@login_required
def block_add(request, pk: int, section_pk: int):
    section = access_section(request.user, pk, section_pk)
    form = BlockForm(request.POST)
    if form.is_valid():
        try:
            services.block_add(section=section, kind=form.cleaned_data["kind"])
        except ValidationError as error:
            _refuse(request, error)
    else:
        messages.error(request, _("Choose a block from the list."))
    return redirect(f"{_editor(section.report)}#section-{section.pk}")


@require_POST
@login_required
def block_remove(request, pk: int, block_pk: int):
    block = access_block(request.user, pk, block_pk)
    try:
        services.block_remove(block=block)
    except ValidationError as error:
        _refuse(request, error)
    return redirect(f"{_editor(block.section.report)}#section-{block.section_id}")


@require_POST
@login_required
def block_move(request, pk: int, block_pk: int):
    block = access_block(request.user, pk, block_pk)
    try:
        services.block_move(block=block, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        _refuse(request, error)
    return redirect(f"{_editor(block.section.report)}#section-{block.section_id}")


@require_POST
@login_required
def snapshot_take(request, pk: int):
    report = access_report(request.user, pk)
    try:
        services.snapshot_take(report=report, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The figures were frozen in a new snapshot."))
    return redirect(_editor(report))


@require_POST
@login_required
def report_publish(request, pk: int):
    report = access_report(request.user, pk)
    try:
        services.report_publish(report=report, by=request.user)
    except ValidationError as error:
        _refuse(request, error)
    else:
        messages.success(request, _("The report is published; its figures are frozen."))
    return redirect(_editor(report))


@require_POST
@login_required
def report_unpublish(request, pk: int):
    report = access_report(request.user, pk)
    services.report_unpublish(report=report)
    messages.success(request, _("The report is a draft again."))
    return redirect(_editor(report))


def _pdf_response(report: AnnualReport) -> HttpResponse:
    response = HttpResponse(rendering.published_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rapport-annuel-{report.year}.pdf"'
    return response


@login_required
def report_view(request, pk: int):
    """The report as readers will see it, from its snapshot or, for a draft without one, live."""
    report = access_report(request.user, pk)
    return render(request, "reports/view.html", rendering.document_context(report))


@login_required
def report_pdf(request, pk: int):
    return _pdf_response(access_report(request.user, pk))


@login_required
def report_json(request, pk: int):
    report = access_report(request.user, pk)
    return JsonResponse(
        rendering.report_json(report), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )


def _published(year: int) -> AnnualReport:
    report = selectors.published_report(year=year)
    if report is None:
        raise Http404
    return report


def public_report(request, year: int):
    """The published report of a year, for everybody."""
    report = _published(year)
    return render(request, "reports/public.html", rendering.document_context(report))


def public_report_pdf(request, year: int):
    return _pdf_response(_published(year))
