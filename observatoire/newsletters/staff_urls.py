from django.urls import path

from . import staff_views as views

app_name = "newsletters_staff"
urlpatterns = [
    path("", views.list_index, name="lists"),
    path("nouvelle/", views.list_create, name="create"),
    path("nombre/", views.dynamic_count, name="dynamic_count"),
    path("<int:pk>/", views.list_detail, name="detail"),
    path("<int:pk>/modifier/", views.list_edit, name="edit"),
    path("<int:pk>/abonnes/", views.subscriber_add, name="add"),
    path("<int:pk>/import/", views.subscriber_import, name="import"),
    path("<int:pk>/export/<str:file_format>/", views.list_export, name="export"),
    path("desabonner/", views.address_unsubscribe, name="unsubscribe"),
    path("suppressions/", views.suppression_index, name="suppressions"),
    path("rebonds/", views.bounce_index, name="bounces"),
]
