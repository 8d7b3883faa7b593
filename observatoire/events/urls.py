from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("mois/<int:year>/<int:month>/", views.event_month, name="month"),
    path("agenda.ics", views.feed, name="feed"),
    path("structures/", views.organization_suggestions, name="organizations"),
    path("inscription/<uuid:token>/", views.registration_manage, name="manage"),
    path(
        "inscription/<uuid:token>/agenda.ics",
        views.registration_ical_download,
        name="manage_ical",
    ),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/inscription/", views.event_register, name="register"),
    path("<slug:slug>/inscription/envoyee/", views.event_registered, name="registered"),
]
