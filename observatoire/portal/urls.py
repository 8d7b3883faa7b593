from django.urls import path

from . import records

app_name = "portal"
urlpatterns = [
    path("annuaire/<slug:slug>/", records.organization_detail, name="organization"),
    path("projets/<slug:slug>/", records.project_detail, name="project"),
]
