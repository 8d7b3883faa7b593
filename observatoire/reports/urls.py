from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/modifier/", views.report_edit, name="edit"),
    path("<int:pk>/apercu/", views.report_view, name="view"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/json/", views.report_json, name="json"),
    path("<int:pk>/instantane/", views.snapshot_take, name="snapshot"),
    path("<int:pk>/publier/", views.report_publish, name="publish"),
    path("<int:pk>/depublier/", views.report_unpublish, name="unpublish"),
    path("<int:pk>/sections/nouvelle/", views.section_edit, name="section_add"),
    path("<int:pk>/sections/<int:section_pk>/", views.section_edit, name="section_edit"),
    path(
        "<int:pk>/sections/<int:section_pk>/supprimer/",
        views.section_remove,
        name="section_remove",
    ),
    path("<int:pk>/sections/<int:section_pk>/deplacer/", views.section_move, name="section_move"),
    path("<int:pk>/sections/<int:section_pk>/blocs/", views.block_add, name="block_add"),
    path("<int:pk>/blocs/<int:block_pk>/supprimer/", views.block_remove, name="block_remove"),
    path("<int:pk>/blocs/<int:block_pk>/deplacer/", views.block_move, name="block_move"),
]
