"""Back-office screens of the imports, under /gestion/ with the admin's look."""

import math

from django.contrib import admin, messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import access_import_job, access_imports
from .fields import field_labels
from .forms import MappingForm, UploadForm
from .models import ImportJob
from .reading import ReadError

PER_PAGE = 50


def _context(request, **extra):
    return {**admin.site.each_context(request), "opts": ImportJob._meta, **extra}


def _step_url(job: ImportJob) -> str:
    if job.state == ImportJob.State.UPLOADED:
        return reverse("admin:imports_importjob_mapping", args=[job.pk])
    if job.state == ImportJob.State.MAPPED:
        return reverse("admin:imports_importjob_preview", args=[job.pk])
    return reverse("admin:imports_importjob_status", args=[job.pk])


def upload(request):
    access_imports(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        saved = form.cleaned_data["mapping"]
        try:
            job = services.import_job_create(
                owner=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                mapping_name=saved.name if saved else "",
            )
        except ReadError as error:
            form.add_error("file", str(error))
        else:
            return redirect(_step_url(job))
    return render(
        request,
        "admin/imports/upload.html",
        _context(request, form=form, title=_("Import a file")),
    )


def mapping(request, pk):
    job = access_import_job(request.user, pk)
    if job.state not in (ImportJob.State.UPLOADED, ImportJob.State.MAPPED):
        return redirect(_step_url(job))
    form = MappingForm(request.POST or None, job=job)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_job_map(
                job=job, mapping=form.mapping(), save_as=form.cleaned_data["save_as"]
            )
        except ReadError as error:
            form.add_error(None, str(error))
        else:
            return redirect("admin:imports_importjob_preview", job.pk)
    return render(
        request,
        "admin/imports/mapping.html",
        _context(request, form=form, job=job, title=_("Map the columns")),
    )


def preview(request, pk):
    job = access_import_job(request.user, pk)
    if job.state != ImportJob.State.MAPPED:
        return redirect(_step_url(job))
    pages = max(1, math.ceil((job.total_rows or 0) / PER_PAGE))
    try:
        page = min(max(1, int(request.GET.get("page", 1))), pages)
    except ValueError:
        page = 1
    if request.method == "POST":
        choices = {
            key.removeprefix("choice-"): value
            for key, value in request.POST.items()
            if key.startswith("choice-")
        }
        job = services.import_job_decide(job=job, choices=choices)
        if "commit" in request.POST:
            services.import_job_enqueue(job=job)
            return redirect("admin:imports_importjob_status", job.pk)
        messages.success(request, _("Your choices are saved."))
        return redirect(f"{request.path}?page={request.POST.get('page', page)}")
    labels = field_labels(job.kind)
    rows = services.import_job_preview(job=job, page=page, per_page=PER_PAGE)
    return render(
        request,
        "admin/imports/preview.html",
        _context(
            request,
            job=job,
            rows=rows,
            columns=[labels.get(f, f) for f in job.mapping.values()],
            page=page,
            pages=pages,
            matches_pending=services.import_job_matches_pending(job=job),
            title=_("Check the rows before importing"),
        ),
    )


def status(request, pk):
    job = access_import_job(request.user, pk)
    job = services.import_job_recover(job=job)
    if job.state in (ImportJob.State.UPLOADED, ImportJob.State.MAPPED):
        return redirect(_step_url(job))
    return render(
        request,
        "admin/imports/status.html",
        _context(request, job=job, title=_("Import of %(name)s") % {"name": job.original_name}),
    )


@require_POST
def rerun(request, pk):
    job = access_import_job(request.user, pk)
    if job.state == ImportJob.State.FAILED:
        services.import_job_enqueue(job=job)
    return redirect("admin:imports_importjob_status", job.pk)


def progress(request, pk):
    job = access_import_job(request.user, pk)
    job = services.import_job_recover(job=job)
    processed = services.job_progress_read(job.pk)["processed"]
    if job.state == ImportJob.State.DONE:
        processed = job.total_rows or processed
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "processed": processed,
            "total": job.total_rows or 0,
            "created": job.created_count,
            "updated": job.updated_count,
            "skipped": job.skipped_count,
            "failure": job.failure,
        }
    )


def report(request, pk):
    job = access_import_job(request.user, pk)
    if not job.report:
        raise Http404
    return FileResponse(
        job.report.open("rb"),
        as_attachment=True,
        filename=f"rapport-import-{job.created_at:%Y-%m-%d}-{str(job.pk)[:8]}.csv",
        content_type="text/csv; charset=utf-8",
    )
