"""Staff pages, under /espace/campagnes/."""

from django.urls import path

from . import views

app_name = "campaigns_staff"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("nouvelle/", views.campaign_create, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/modifier/", views.campaign_edit, name="edit"),
    path("<int:pk>/apercu/", views.campaign_preview, name="preview"),
    path("<int:pk>/test/", views.campaign_test_send, name="test_send"),
    path("<int:pk>/envoi/", views.campaign_schedule, name="schedule"),
    path("<int:pk>/<slug:action>/", views.campaign_action, name="action"),
]
