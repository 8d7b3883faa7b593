from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("nouveau/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/modifier/", views.project_edit, name="edit"),
    path("<int:pk>/partenaires/", views.project_partners, name="partners"),
    path(
        "<int:pk>/partenaires/<int:partner_pk>/",
        views.project_partner_edit,
        name="partner_edit",
    ),
    path("<int:pk>/etapes/", views.project_checklist, name="checklist"),
    path("<int:pk>/etapes/<int:item_pk>/", views.checklist_item_edit, name="checklist_item"),
    path("<int:pk>/acteurs/", views.project_stakeholders, name="stakeholders"),
    path(
        "<int:pk>/acteurs/<int:stakeholder_pk>/",
        views.stakeholder_edit,
        name="stakeholder_edit",
    ),
    path("<int:pk>/gouvernance/", views.project_governance, name="governance"),
    path("<int:pk>/resultats/", views.project_results, name="results"),
    path("<int:pk>/documents/", views.project_documents, name="documents"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.project_document_download,
        name="document",
    ),
    path("<int:pk>/actualites/", views.project_news, name="news"),
    path("<int:pk>/actualites/photos/<int:photo_pk>/", views.project_photo, name="photo"),
]
