from django.urls import path

from . import views

app_name = "jury"
urlpatterns = [
    path("", views.jury_home, name="home"),
    path("invitation/<str:token>/", views.jury_invitation, name="invitation"),
    path("dossier/<int:pk>/", views.jury_review, name="review"),
    path("dossier/<int:pk>/conflit/", views.jury_declare, name="declare"),
    path(
        "dossier/<int:pk>/fichiers/<int:attachment_pk>/", views.jury_attachment, name="attachment"
    ),
]
