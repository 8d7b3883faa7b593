from django.urls import path

from . import views

app_name = "referencing"
urlpatterns = [
    path("", views.request_form, name="form"),
    path("envoyee/", views.request_sent, name="sent"),
    path("correspondances/", views.request_matches, name="matches"),
    path("confirmer/<str:token>/", views.request_confirm, name="confirm"),
    path("demande/<str:token>/", views.request_follow, name="follow"),
]
