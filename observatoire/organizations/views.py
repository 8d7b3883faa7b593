from django.http import FileResponse, Http404

from observatoire.accounts.access import access_register_export_file


def export_download(request, pk):
    """Download a large export: only its author, and only once the worker has built it."""
    export = access_register_export_file(request.user, pk)
    if not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.file.name.split("/")[-1]
    )
