"""The endpoints of /api/v1/: public reads, and staff reads and writes of the register."""

import django_filters
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import HttpResponsePermanentRedirect, QueryDict
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from observatoire.events.models import Event, Sitting
from observatoire.news.selectors import public_news
from observatoire.organizations.models import Organization, Person
from observatoire.partnerships.models import Partnership
from observatoire.portal.index import listed_organizations, published_projects
from observatoire.portal.search import (
    ORGANIZATIONS,
    PROJECTS,
    Engine,
    matching_entries,
    parse_search,
)
from observatoire.projects.models import Project, ProjectPartner, ProjectPlace
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    Country,
    Departement,
    OrganizationKind,
    Theme,
)

from . import serializers as s
from .permissions import BackOfficeOnly
from .writes import EventForm, OrganizationAdminForm, PersonForm, record_write

# Public reads ---------------------------------------------------------------------------------


def _facet_parameters(engine: Engine) -> list[OpenApiParameter]:
    """The directory's (or panorama's) search parameters, described from its facets."""
    return [
        OpenApiParameter("q", OpenApiTypes.STR, description="Words searched in the public fields."),
        *(
            OpenApiParameter(
                facet.name,
                OpenApiTypes.STR,
                many=True,
                explode=True,
                description=f"{facet.label} (repeat for several values: any of them).",
            )
            for facet in engine.facets
        ),
    ]


def _search_params(request) -> QueryDict:
    """The query without `page`: the API pages itself, and `sort` stays the API's."""
    params = request.query_params.copy()
    for name in ("page", "page_size", "sort"):
        params.pop(name, None)
    return params


class PublicReadViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    detail_serializer_class = None

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class


class SearchViewSet(PublicReadViewSet):
    """A list answered by the public search of the directory (or the panorama).

    The same engine as the HTML pages (`portal.search`), so the same parameters give the same
    records. Pages are cut in the search index, sorted by name as the directory is (a narrow,
    indexed table), and only the records of the page are then read with what they show."""

    engine: Engine
    # The records a page shows, read with what they show once the page's keys are known.
    records: QuerySet
    filter_backends = []

    def list(self, request, *args, **kwargs):
        search = parse_search(self.engine, _search_params(request))
        entries = matching_entries(search).order_by(*self.engine.sorts["name"])
        keys = self.paginate_queryset(entries.values_list("pk", flat=True))
        by_key = self.records.all().in_bulk(keys)
        records = [by_key[key] for key in keys if key in by_key]
        return self.get_paginated_response(self.get_serializer(records, many=True).data)


ORGANIZATION_PREFETCH = [
    "themes",
    "sdgs",
    "action_kinds",
    "countries",
]


@extend_schema_view(
    list=extend_schema(
        summary="Listed organisations (the directory)",
        parameters=_facet_parameters(ORGANIZATIONS),
    ),
    retrieve=extend_schema(summary="One listed organisation, with its consenting contacts"),
)
class OrganizationViewSet(SearchViewSet):
    """Qualified organisations of the directory, with the fields each one made public."""

    engine = ORGANIZATIONS
    serializer_class = s.OrganizationSerializer
    detail_serializer_class = s.OrganizationDetailSerializer

    records = Organization.objects.select_related(
        "kind", "commune", "departement", "seat_country"
    ).prefetch_related(*ORGANIZATION_PREFETCH)

    def get_queryset(self):
        # The conditions themselves rather than a subquery: the slug's index then finds the row.
        return listed_organizations().select_related(
            "kind", "commune", "departement", "seat_country"
        )

    def retrieve(self, request, *args, **kwargs):
        # A merged record's address keeps answering, as its public page does: a permanent
        # redirect to the record it was merged into, when that one is listed.
        slug = kwargs[self.lookup_field]
        if not self.get_queryset().filter(slug=slug).exists():
            merged = Organization.objects.filter(slug=slug, merged_into__isnull=False).first()
            survivor = merged.survivor if merged is not None else None
            if survivor is not None and self.get_queryset().filter(pk=survivor.pk).exists():
                location = reverse("api:organization-detail", kwargs={"slug": survivor.slug})
                return HttpResponsePermanentRedirect(location)
        return super().retrieve(request, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="Published projects (the panorama)", parameters=_facet_parameters(PROJECTS)
    ),
    retrieve=extend_schema(summary="One published project"),
)
class ProjectViewSet(SearchViewSet):
    """Published projects, with the fields each one made public."""

    engine = PROJECTS
    serializer_class = s.ProjectSerializer
    detail_serializer_class = s.ProjectDetailSerializer

    records = Project.objects.prefetch_related("themes", "sdgs", "countries")

    def get_queryset(self):
        partners = ProjectPartner.objects.exclude(role=ProjectPartner.Role.FUNDER)
        return published_projects().prefetch_related(
            "themes",
            "sdgs",
            "countries",
            Prefetch("places", queryset=ProjectPlace.objects.select_related("country")),
            Prefetch("partners", queryset=partners.select_related("organization")),
        )


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices)
    theme = django_filters.CharFilter(field_name="themes__slug", distinct=True)
    country = django_filters.CharFilter(field_name="countries__iso2", distinct=True)
    upcoming = django_filters.BooleanFilter(method="filter_upcoming")

    class Meta:
        model = Event
        fields = ["kind", "theme", "country", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        now = timezone.now()
        has_later = Q(sittings__ends_at__gte=now)
        return queryset.filter(has_later if value else ~has_later).distinct()


@extend_schema_view(
    list=extend_schema(summary="Published events"),
    retrieve=extend_schema(summary="One published event"),
)
class EventViewSet(PublicReadViewSet):
    """Published events and trainings, the latest first."""

    serializer_class = s.EventSerializer
    filterset_class = EventFilter

    def get_queryset(self):
        return (
            Event.objects.published()
            .select_related("commune")
            .prefetch_related(
                "themes",
                "sdgs",
                "countries",
                Prefetch("sittings", queryset=Sitting.objects.order_by("starts_at", "pk")),
            )
            .annotate(first_start=F("first_starts_at"))
            .order_by("-first_starts_at", "pk")
        )


class PartnershipFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="foreign_authority__seat_country__iso2")
    status = django_filters.ChoiceFilter(choices=Partnership.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Partnership.Kind.choices)

    class Meta:
        model = Partnership
        fields = ["country", "status", "kind"]


@extend_schema_view(
    list=extend_schema(summary="Public partnerships between French and foreign authorities"),
    retrieve=extend_schema(summary="One public partnership"),
)
class PartnershipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.PartnershipSerializer
    filterset_class = PartnershipFilter

    def get_queryset(self):
        authority = ("french_authority", "foreign_authority")
        return (
            Partnership.objects.filter(is_public=True)
            .select_related(*authority, *(f"{a}__seat_country" for a in authority))
            .prefetch_related("themes")
            .order_by("french_authority__name", "pk")
        )


class NewsFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__slug")
    network = django_filters.BooleanFilter(field_name="organization", lookup_expr="isnull")
    language = django_filters.CharFilter()

    class Meta:
        model = s.NewsItem
        fields = ["organization", "network", "language"]


@extend_schema_view(
    list=extend_schema(summary="Published news of the network and of organisations"),
    retrieve=extend_schema(summary="One published news item"),
)
class NewsViewSet(PublicReadViewSet):
    serializer_class = s.NewsItemSerializer
    filterset_class = NewsFilter

    def get_queryset(self):
        return public_news().select_related("organization")


# Referentials: small, unpaginated lists.


def _referential(model, serializer, ordering, summary):
    @extend_schema_view(
        list=extend_schema(summary=summary), retrieve=extend_schema(summary=summary)
    )
    class ReferentialViewSet(viewsets.ReadOnlyModelViewSet):
        queryset = model.objects.order_by(*ordering)
        serializer_class = serializer
        pagination_class = None
        filter_backends = []

    ReferentialViewSet.__name__ = f"{model.__name__}ViewSet"
    return ReferentialViewSet


CountryViewSet = _referential(Country, s.CountrySerializer, ["iso2"], "Countries")
DepartementViewSet = _referential(Departement, s.DepartementSerializer, ["code"], "Départements")
ThemeViewSet = _referential(Theme, s.ThemeSerializer, ["position", "pk"], "Themes")
SDGViewSet = _referential(SDG, s.SDGSerializer, ["number"], "Sustainable Development Goals")
ActionKindViewSet = _referential(
    ActionKind, s.ActionKindSerializer, ["position", "pk"], "Kinds of action"
)
OrganizationKindViewSet = _referential(
    OrganizationKind, s.OrganizationKindSerializer, ["position", "pk"], "Kinds of organisation"
)


# Staff: the register, read by the back-office roles, written by staff with a token ----------


class StaffViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Back-office reads; creation and changes through the back office's form and service."""

    permission_classes = [BackOfficeOnly]
    filter_backends = []
    model = None

    def _write(self, request, instance, status_code):
        record = record_write(instance=instance, payload=request.data, user=request.user)
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=status_code)

    def create(self, request, *args, **kwargs):
        return self._write(request, self.model(), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        # PUT and PATCH alike: the fields not sent keep their value (the form's view of it).
        return self._write(request, self.get_object(), status.HTTP_200_OK)


def _form_fields(form_class) -> list[str]:
    model_fields = {f.name for f in form_class._meta.model._meta.get_fields()}
    return [f for f in form_class._meta.fields if f in model_fields]


@extend_schema_view(
    list=extend_schema(summary="The register's organisations (back office)"),
    create=extend_schema(summary="Create an organisation (staff)"),
)
class StaffOrganizationViewSet(StaffViewSet):
    model = Organization
    serializer_class = s.staff_serializer(
        Organization,
        _form_fields(OrganizationAdminForm),
        extra=("slug", "field_visibility", "updated_at"),
    )

    def get_queryset(self):
        return Organization.objects.prefetch_related(
            "themes", "sdgs", "action_kinds", "countries", "needs"
        ).order_by("pk")


@extend_schema_view(
    list=extend_schema(summary="People of the register (back office)"),
    create=extend_schema(summary="Create a person (staff)"),
)
class StaffPersonViewSet(StaffViewSet):
    model = Person
    serializer_class = s.staff_serializer(Person, _form_fields(PersonForm), extra=("updated_at",))

    def get_queryset(self):
        return Person.objects.order_by("pk")


@extend_schema_view(
    list=extend_schema(summary="Every event, published or not (back office)"),
    create=extend_schema(summary="Create an event (staff)"),
)
class StaffEventViewSet(StaffViewSet):
    model = Event
    serializer_class = s.staff_serializer(Event, _form_fields(EventForm), extra=("updated_at",))

    def get_queryset(self):
        return Event.objects.prefetch_related(
            "themes", "sdgs", "countries", "partner_organizers"
        ).order_by("pk")


def _project_fields() -> list[str]:
    from observatoire.projects.forms import ProjectForm

    return _form_fields(ProjectForm)


@extend_schema_view(
    list=extend_schema(summary="Every project, published or not (back office)"),
    create=extend_schema(summary="Create a project (staff)"),
)
class StaffProjectViewSet(StaffViewSet):
    model = Project
    serializer_class = s.staff_serializer(
        Project, _project_fields(), extra=("slug", "field_visibility", "updated_at")
    )

    def get_queryset(self):
        return Project.objects.prefetch_related(
            "themes", "sdgs", "sdg_targets", "dac_sectors", "countries"
        ).order_by("pk")
