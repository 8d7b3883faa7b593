from django.urls import path

from . import views

app_name = "grants"
urlpatterns = [
    path("", views.calls, name="calls"),
    path("dossier/<int:pk>/", views.laureate, name="laureate"),
    path("<slug:slug>/", views.call, name="call"),
    path("<slug:slug>/communaute/", views.community, name="community"),
]
