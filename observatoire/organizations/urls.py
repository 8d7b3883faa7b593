from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("exports/<uuid:pk>/", login_required(views.export_download), name="export_download"),
]
