from django.http import Http404
from django.shortcuts import render

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
