from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import SimpleRouter

from . import views
from .errors import not_found

app_name = "api"

router = SimpleRouter()
router.register("organisations", views.OrganizationViewSet, basename="organization")
router.register("projets", views.ProjectViewSet, basename="project")
router.register("evenements", views.EventViewSet, basename="event")
router.register("partenariats", views.PartnershipViewSet, basename="partnership")
router.register("actualites", views.NewsViewSet, basename="news")
router.register("pays", views.CountryViewSet, basename="country")
router.register("departements", views.DepartementViewSet, basename="departement")
router.register("thematiques", views.ThemeViewSet, basename="theme")
router.register("odd", views.SDGViewSet, basename="sdg")
router.register("types-action", views.ActionKindViewSet, basename="action-kind")
router.register("types-structure", views.OrganizationKindViewSet, basename="organization-kind")
router.register(
    "registre/organisations", views.StaffOrganizationViewSet, basename="staff-organization"
)
router.register("registre/personnes", views.StaffPersonViewSet, basename="staff-person")
router.register("registre/evenements", views.StaffEventViewSet, basename="staff-event")
router.register("registre/projets", views.StaffProjectViewSet, basename="staff-project")

urlpatterns = [
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("v1/docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(router.urls)),
    re_path(r"^.*$", not_found),
]
