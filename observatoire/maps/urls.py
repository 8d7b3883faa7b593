from django.urls import path

from . import views

app_name = "maps"
urlpatterns = [
    path("carte/", views.index, name="index"),
    path("carte/donnees/organisations/", views.organizations_data, name="organizations_data"),
    path("carte/donnees/projets/", views.projects_data, name="projects_data"),
    path("carte/donnees/pays/", views.countries_data, name="countries_data"),
    path("carte/donnees/departements/", views.departements_data, name="departements_data"),
    path("carte/donnees/partenariats/", views.partnerships_data, name="partnerships_data"),
    path("widget/carte/", views.widget_map, name="widget_map"),
    path("widget/annuaire/", views.widget_directory, name="widget_directory"),
]
