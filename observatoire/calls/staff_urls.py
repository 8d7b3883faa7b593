from django.urls import path

from . import staff_views as views

app_name = "calls_staff"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("nouveau/", views.call_form, name="call_create"),
    path("<int:pk>/", views.call_detail, name="call"),
    path("<int:pk>/modifier/", views.call_form, name="call_edit"),
    path("<int:pk>/publier/", views.call_publish, name="call_publish"),
    path("<int:pk>/etapes/<int:number>/formulaire/", views.stage_form, name="stage_form"),
    path(
        "<int:pk>/etapes/<int:number>/champs/<int:field_pk>/",
        views.stage_form,
        name="field_edit",
    ),
    path(
        "<int:pk>/etapes/<int:number>/champs/<int:field_pk>/deplacer/",
        views.field_move,
        name="field_move",
    ),
    path(
        "<int:pk>/etapes/<int:number>/champs/<int:field_pk>/supprimer/",
        views.field_delete,
        name="field_delete",
    ),
    path("<int:pk>/etapes/<int:number>/apercu/", views.stage_preview, name="stage_preview"),
    path("<int:pk>/candidatures/", views.applications, name="applications"),
    path("<int:pk>/candidatures/export/", views.applications_export, name="applications_export"),
    path("candidatures/<int:pk>/", views.application_detail, name="application"),
    path("pieces/<int:pk>/", views.attachment_download, name="attachment"),
]
