from django.contrib import admin
from django.urls import path

from . import import_views

app_name = "events_import"
urlpatterns = [
    path(
        "<int:pk>/import-inscrits/",
        admin.site.admin_view(import_views.import_registrations),
        name="attendees",
    ),
]
