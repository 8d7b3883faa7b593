from django.urls import path

from . import views

app_name = "observatory"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("chiffres.csv", views.dashboard_csv, name="dashboard_csv"),
    path("barometres/", views.barometers_view, name="barometers"),
    path(
        "barometres/donnees/pays/",
        views.map_data_view,
        {"kind": "countries"},
        name="countries_data",
    ),
    path(
        "barometres/donnees/departements/",
        views.map_data_view,
        {"kind": "departements"},
        name="departements_data",
    ),
    path(
        "barometres/donnees/partenariats/",
        views.map_data_view,
        {"kind": "partnerships"},
        name="partnerships_data",
    ),
]
