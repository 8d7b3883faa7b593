"""The public map page, its data endpoints and the widgets other sites embed in an iframe."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from . import selectors
from .forms import MapFilterForm

LIST_LIMIT = 50


def directory_url() -> str:
    return reverse("portal:directory")


def _data(payload) -> JsonResponse:
    response = JsonResponse(payload, json_dumps_params={"separators": (",", ":")})
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def index(request):
    params = request.GET
    form = MapFilterForm(params)
    organizations = selectors.map_organizations(params)
    projects = selectors.map_projects(params)
    query = form.query_string()
    return render(
        request,
        "maps/index.html",
        {
            "form": form,
            "query": query,
            "organization_total": organizations.count(),
            "organizations": organizations.select_related("commune", "kind")[:LIST_LIMIT],
            "project_total": projects.count(),
            "projects": projects.prefetch_related("countries")[:LIST_LIMIT],
            "organization_countries": selectors.country_rows(
                selectors.organization_country_counts(params)
            ),
            "project_countries": selectors.country_rows(selectors.project_country_counts(params)),
            "departements": selectors.region_departement_rows(params),
            "region": selectors.network_region(),
            "partnerships": selectors.partnership_rows(params),
            "widget_map_url": request.build_absolute_uri(reverse("maps:widget_map")) + query,
            "widget_directory_url": request.build_absolute_uri(reverse("maps:widget_directory"))
            + query,
            "directory_url": directory_url(),
            "list_limit": LIST_LIMIT,
        },
    )


@require_GET
def organizations_data(request):
    return _data(selectors.organization_points(request.GET))


@require_GET
def projects_data(request):
    return _data(selectors.project_points(request.GET))


@require_GET
def countries_data(request):
    if request.GET.get("subject") == "projects":
        counts = selectors.project_country_counts(request.GET)
    else:
        counts = selectors.organization_country_counts(request.GET)
    return _data({"counts": counts})


@require_GET
def departements_data(request):
    codes = [d.code for d in selectors.region_departements()]
    return _data({"counts": selectors.departement_counts(request.GET), "codes": codes})


@require_GET
def partnerships_data(request):
    return _data({"lines": selectors.partnership_lines(request.GET)})


@xframe_options_exempt
@require_GET
def widget_map(request):
    params = request.GET
    projects = params.get("layer") == "projects"
    form = MapFilterForm(params)
    total = (selectors.map_projects if projects else selectors.map_organizations)(params).count()
    return render(
        request,
        "maps/widget_map.html",
        {
            "projects": projects,
            "total": total,
            "query": form.query_string(),
            "page_url": request.build_absolute_uri(reverse("maps:index")) + form.query_string(),
        },
    )


@xframe_options_exempt
@require_GET
def widget_directory(request):
    params = request.GET
    organizations = selectors.map_organizations(params)
    return render(
        request,
        "maps/widget_directory.html",
        {
            "total": organizations.count(),
            "organizations": organizations.select_related("commune", "kind")[:LIST_LIMIT],
            "directory_url": request.build_absolute_uri(directory_url())
            + MapFilterForm(params).query_string(),
        },
    )
