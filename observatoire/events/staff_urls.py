from django.contrib import admin
from django.urls import path

from . import staff_views

app_name = "events_staff"
urlpatterns = [
    path(
        "<int:pk>/import-inscrits/",
        admin.site.admin_view(staff_views.import_registrations),
        name="import",
    ),
]
