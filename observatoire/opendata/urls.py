from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("regenerer/", views.regenerate, name="regenerate"),
    path("fichiers/<str:name>", views.download, name="file"),
]
