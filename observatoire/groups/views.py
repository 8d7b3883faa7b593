import mimetypes
from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.shortcuts import render

from observatoire.accounts.access import is_back_office
from observatoire.events import figures

from . import selectors


def group_list(request):
    """The published groups of the network, country groups then thematic groups."""
    return render(request, "groups/list.html", {"groups": list(selectors.public_groups())})


def group_detail(request, slug: str):
    """A published group: what it does, its member organisations, events and documents."""
    group = selectors.public_group(slug)
    if group is None:
        raise Http404
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "lead": selectors.lead_public_label(group),
            "organizations": selectors.public_member_organizations(group),
            "events": selectors.upcoming_public_events(group),
            "documents": selectors.public_documents(group),
            "years": figures.group_figures(group),
        },
    )


def group_document(request, slug: str, pk: int):
    """A document of a group, downloaded through the application.

    The media folder is not published (README): public documents of a published group are open
    to all, the others to the network's back office only.
    """
    document = selectors.downloadable_document(
        slug=slug, pk=pk, back_office=is_back_office(request.user)
    )
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = PurePosixPath(document.file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
