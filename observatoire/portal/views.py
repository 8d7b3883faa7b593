"""The directory (/annuaire/) and the project panorama (/projets/): search pages, HTML or JSON."""

from django.http import JsonResponse
from django.shortcuts import render

from .search import ORGANIZATIONS, PROJECTS, Engine, search_page


def _search_view(request, engine: Engine, template: str):
    page = search_page(engine, request.GET)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "total": page["total"],
                "page": page["page"],
                "pages": page["pages"],
                "results": page["results"],
                "facets": [
                    {"name": f["name"], "label": str(f["label"]), "values": f["values"]}
                    for f in page["facets"]
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, template, page)


def directory(request):
    return _search_view(request, ORGANIZATIONS, "portal/directory.html")


def panorama(request):
    return _search_view(request, PROJECTS, "portal/panorama.html")
