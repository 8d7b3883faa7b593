from django.urls import path

from . import views

app_name = "annual_report"
urlpatterns = [
    path("<int:year>/", views.public_report, name="public"),
    path("<int:year>/pdf/", views.public_report_pdf, name="public_pdf"),
]
