"""The public open-data page, the downloads, and the staff's request for fresh files."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from observatoire.accounts.access import is_back_office

from . import services
from .datasets import DATASETS
from .tasks import publish_open_data

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
    "iati": "application/xml",
    "datapackage": "application/json",
}


def access_open_data_regeneration(user) -> None:
    """Staff, administrators and the observatory may ask for fresh files; nobody else."""
    if not is_back_office(user):
        raise PermissionDenied


@require_safe
def index(request):
    manifest = services.published_manifest()
    files_by_dataset: dict[str, list] = {}
    other_files = []
    for entry in manifest.files if manifest else []:
        if entry.dataset and entry.format in ("csv", "json", "geojson", "iati"):
            files_by_dataset.setdefault(entry.dataset, []).append(entry)
        else:
            other_files.append(entry)
    datasets = [
        {"dataset": dataset, "files": files_by_dataset.get(dataset.name, [])}
        for dataset in DATASETS
    ]
    context = {
        "manifest": manifest,
        "datasets": datasets,
        "other_files": other_files,
        "licence": services.LICENCE,
        "can_regenerate": is_back_office(request.user),
        "datapackage": any(entry.name == services.DATAPACKAGE for entry in other_files),
        "datapackage_url": reverse("opendata:file", args=[services.DATAPACKAGE]),
    }
    return render(request, "opendata/index.html", context)


@require_safe
def download(request, name):
    path = services.published_file(name)
    if path is None:
        raise Http404
    try:
        handle = path.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    file_format = path.suffix.lstrip(".")
    content_type = CONTENT_TYPES.get(file_format) or mimetypes.guess_type(name)[0]
    if name == services.IATI_FILE:
        content_type = CONTENT_TYPES["iati"]
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)


@require_POST
def regenerate(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access_open_data_regeneration(request.user)
    transaction.on_commit(publish_open_data.enqueue)
    messages.success(
        request,
        _("The files will be generated again in a few minutes; reload this page to see them."),
    )
    return redirect("opendata:index")
