from django.urls import path

from . import views

app_name = "publishing"
urlpatterns = [
    path("", views.space_home, name="home"),
    path("<int:pk>/", views.space, name="space"),
    path("<int:pk>/fiche/", views.details, name="details"),
    path("<int:pk>/contacts/", views.contacts, name="contacts"),
    path(
        "<int:pk>/projets/<int:project_pk>/publier/",
        views.project_publish,
        name="project_publish",
    ),
    path("<int:pk>/evenements/nouveau/", views.event_create, name="event_create"),
    path("<int:pk>/evenements/<int:event_pk>/", views.event_edit, name="event_edit"),
    path("<int:pk>/actualites/nouvelle/", views.news_create, name="news_create"),
    path("<int:pk>/actualites/<int:news_pk>/", views.news_edit, name="news_edit"),
]
