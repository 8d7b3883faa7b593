"""The observatory's staff pages: the dashboard, its CSV download and the barometers."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from observatoire.accounts.access import is_back_office
from observatoire.core.exports import export_response

from .barometers import barometers, region_members
from .dashboard import csv_rows, dashboard
from .figures import collect, definition, map_data
from .forms import ObservatoryForm


def _data_date(data: dict) -> datetime.datetime:
    return datetime.datetime.fromisoformat(data["data_date"])


def _access_observatory(user) -> None:
    """Staff, administrators and the observatory role read the figures; nobody else."""
    if not is_back_office(user):
        raise PermissionDenied


def _chosen(request) -> tuple[ObservatoryForm, object, object]:
    form = ObservatoryForm(request.GET or None)
    return form, form.chosen_period(), form.chosen_filters()


@login_required
def dashboard_view(request):
    """The figures of a period beside the period before, filtered, each linked to its list."""
    _access_observatory(request.user)
    form, period, filters = _chosen(request)
    board = dashboard(period, filters)
    query = request.GET.urlencode()
    return render(
        request,
        "observatory/dashboard.html",
        {"form": form, "board": board, "query": query, "data_date": _data_date(board.data)},
    )


@login_required
def dashboard_csv(request):
    """The dashboard's figures as a CSV file, for the same period and filters."""
    _access_observatory(request.user)
    _form, period, filters = _chosen(request)
    headers, rows = csv_rows(dashboard(period, filters))
    return export_response(
        headers=headers, rows=rows, file_format="csv", filename="observatoire-chiffres"
    )


@login_required
def barometers_view(request):
    """SDGs, themes × countries, kinds of action, countries, members by département and
    partnerships, each with its definition, maps with their tables."""
    _access_observatory(request.user)
    form, period, filters = _chosen(request)
    data = collect(period, filters)
    query = request.GET.urlencode()
    return render(
        request,
        "observatory/barometers.html",
        {
            "form": form,
            "period": period,
            "previous_period": period.previous(),
            "data": data,
            "data_date": _data_date(data),
            "query": query,
            "map_query": f"?{query}" if query else "",
            "barometers": barometers(data),
            "departements": region_members(data),
            "definitions": {
                "countries_organizations": definition("coverage.countries_organizations"),
                "countries_projects": definition("coverage.countries_projects"),
                "members": definition("members.by_departement"),
                "partnerships": definition("coverage.partnerships"),
            },
            "country_heading": _("Country"),
            "partnerships_by_country": _("Partnerships by country"),
        },
    )


MAP_KINDS = {"countries", "departements", "partnerships"}


@login_required
def map_data_view(request, kind: str):
    """The data of one barometer map, as the public maps' endpoints give it."""
    _access_observatory(request.user)
    if kind not in MAP_KINDS:
        raise Http404
    _form, period, filters = _chosen(request)
    return JsonResponse(map_data(period, filters, kind, request.GET.get("subject", "")))
