from django.urls import path

from . import views

app_name = "finance"
urlpatterns = [
    path("<int:pk>/budget/", views.budget, name="budget"),
    path("<int:pk>/financement/", views.funding, name="funding"),
    path("<int:pk>/operations/", views.transactions, name="transactions"),
    path(
        "<int:pk>/operations/<int:transaction_pk>/supprimer/",
        views.transaction_delete,
        name="transaction_delete",
    ),
    path("<int:pk>/demandes/", views.applications, name="applications"),
    path("<int:pk>/rapports/", views.reports, name="reports"),
    path("<int:pk>/rapports/<int:report_pk>/", views.report, name="report"),
    path(
        "<int:pk>/rapports/<int:report_pk>/v<int:number>.<str:kind>",
        views.report_download,
        name="report_download",
    ),
]
