from django.urls import path

from . import records, views

app_name = "portal"
urlpatterns = [
    path("annuaire/<slug:slug>/", records.organization_detail, name="organization"),
    path("projets/<slug:slug>/", records.project_detail, name="project"),
]

# The search pages: the directory and the project panorama.
urlpatterns += [
    path("annuaire/", views.directory, name="directory"),
    path("projets/", views.panorama, name="panorama"),
]
