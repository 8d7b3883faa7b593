from django.urls import path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("merci/", views.subscribed, name="subscribed"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("confirmer/<str:token>/nouveau-lien/", views.resend, name="resend"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("rebonds/<str:secret>/", views.bounce_webhook, name="bounce_webhook"),
]
