from django.urls import path

from . import views

app_name = "selection"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.call_detail, name="call"),
    path("<int:pk>/etape/<int:stage_pk>/grille/", views.grid, name="grid"),
    path("<int:pk>/etape/<int:stage_pk>/repartition/", views.assignments, name="assignments"),
    path("<int:pk>/etape/<int:stage_pk>/classement/", views.ranking, name="ranking"),
    path("<int:pk>/etape/<int:stage_pk>/comite/", views.committee, name="committee_create"),
    path(
        "<int:pk>/etape/<int:stage_pk>/comite/<int:committee_pk>/",
        views.committee,
        name="committee",
    ),
    path(
        "<int:pk>/comite/<int:committee_pk>/decision/<int:application_pk>/",
        views.decision,
        name="decision",
    ),
]
