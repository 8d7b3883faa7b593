"""Public pages, under /lettre/ (included before the newsletters' own /lettre/ pages)."""

from django.urls import path

from . import public_views

app_name = "campaigns"

urlpatterns = [
    path("archives/", public_views.archive_list, name="archive_list"),
    path("archives/<slug:slug>/", public_views.archive_detail, name="archive_detail"),
    path("v/<str:token>/", public_views.web_version, name="web"),
    path("o/<str:token>/", public_views.open_pixel, name="open"),
    path("c/<str:token>/", public_views.click, name="click"),
]
