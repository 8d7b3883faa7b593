from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("nouveau/", views.partnership_create, name="create"),
    path("<int:pk>/", views.partnership_detail, name="detail"),
    path("<int:pk>/modifier/", views.partnership_edit, name="edit"),
    path("<int:pk>/conventions/nouvelle/", views.agreement_edit, name="agreement_create"),
    path("<int:pk>/conventions/<int:agreement_pk>/", views.agreement_edit, name="agreement_edit"),
    path(
        "<int:pk>/conventions/<int:agreement_pk>/document/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("<int:pk>/contacts/nouveau/", views.contact_create, name="contact_create"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/retirer/",
        views.contact_remove,
        name="contact_remove",
    ),
    path("<int:pk>/missions/nouvelle/", views.mission_edit, name="mission_create"),
    path("<int:pk>/missions/<int:mission_pk>/", views.mission_edit, name="mission_edit"),
    path(
        "<int:pk>/missions/<int:mission_pk>/rapport/",
        views.mission_report,
        name="mission_report",
    ),
]
