from django.urls import path

from . import views

app_name = "calls"
urlpatterns = [
    path("", views.call_list, name="list"),
    path("candidature/<str:token>/", views.application, name="application"),
    path("candidature/<str:token>/retirer/", views.withdraw, name="withdraw"),
    path("<slug:slug>/", views.call_detail, name="detail"),
    path("<slug:slug>/candidater/", views.apply, name="apply"),
    path("<slug:slug>/lien/", views.lost_link, name="lost_link"),
    path("<slug:slug>/candidater/nouvelle-structure/", views.apply_new, name="apply_new"),
]
