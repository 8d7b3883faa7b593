from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("espace/organisation/opportunites/", views.mine, name="mine"),
    path("espace/organisation/<int:pk>/opportunites/", views.organization, name="organization"),
    path("opportunites/lettre/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
