"""What the API shows of each record: the public fields, as the public pages show them.

Fields an organisation (or a project) did not make public come out empty ("" or []), so every
answer has the same shape and nothing hidden leaks; `hidden_fields` lists which were hidden.
"""

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from observatoire.events.models import Event
from observatoire.news.models import NewsItem
from observatoire.organizations.models import VISIBILITY_DEFAULTS, Organization, Visibility
from observatoire.organizations.selectors import organization_field_visible
from observatoire.partnerships.models import Partnership
from observatoire.portal.records import project_field_visible
from observatoire.projects.models import PROJECT_VISIBILITY_DEFAULTS, Project
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    Country,
    Departement,
    OrganizationKind,
    Theme,
)

PUBLIC = Visibility.PUBLIC.value


# Referentials -------------------------------------------------------------------------------


class VocabularySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ThemeSerializer(VocabularySerializer):
    class Meta:
        model = Theme


class ActionKindSerializer(VocabularySerializer):
    class Meta:
        model = ActionKind


class OrganizationKindSerializer(VocabularySerializer):
    class Meta:
        model = OrganizationKind


class CountrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    iso2 = serializers.CharField(read_only=True)
    iso3 = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Country


class DepartementSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Departement


class SDGSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    short_name = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    color = serializers.CharField(read_only=True)

    class Meta:
        model = SDG


# Visibility ---------------------------------------------------------------------------------


class VisibilityMixin:
    """Blanks the fields the record's owner did not make public."""

    # API field → the visibility setting that governs it.
    governed: dict[str, str] = {}
    # (record, setting, audience) → whether the audience sees it: the public pages' own rule.
    visibility_rule: Callable[[Any, str, str], bool]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        hidden = []
        for name, setting in self.governed.items():
            if name in data and not self.visibility_rule(instance, setting, PUBLIC):
                value = data[name]
                data[name] = [] if isinstance(value, list) else None if value is None else ""
                hidden.append(name)
        if "hidden_fields" in self.fields:
            data["hidden_fields"] = sorted(hidden)
        return data


# Organisations ------------------------------------------------------------------------------


class OrganizationSerializer(VisibilityMixin, serializers.ModelSerializer):
    kind = OrganizationKindSerializer(read_only=True)
    departement = DepartementSerializer(read_only=True, allow_null=True)
    commune = serializers.CharField(source="commune.name", read_only=True, allow_null=True)
    seat_country = serializers.CharField(
        source="seat_country.iso2", read_only=True, allow_null=True
    )
    themes = ThemeSerializer(many=True, read_only=True)
    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    action_kinds = ActionKindSerializer(many=True, read_only=True)
    countries = serializers.SlugRelatedField(slug_field="iso2", many=True, read_only=True)
    url = serializers.SerializerMethodField()
    hidden_fields = serializers.ListField(child=serializers.CharField(), read_only=True)

    governed = {
        field: field
        for field in (
            "acronym",
            "legal_form",
            "siren",
            "siret",
            "rna",
            "iati_id",
            "description",
            "website",
            "address_line1",
            "address_line2",
            "themes",
            "sdgs",
            "action_kinds",
            "countries",
        )
    } | {"postal_code": "address_line1", "latitude": "address_line1", "longitude": "address_line1"}

    class Meta:
        model = Organization
        fields = [
            "slug", "name", "acronym", "kind", "legal_form",
            "siren", "siret", "rna", "iati_id", "description", "website",
            "address_line1", "address_line2", "postal_code", "commune", "departement",
            "seat_country", "seat_locality", "latitude", "longitude",
            "themes", "sdgs", "action_kinds", "countries", "url", "updated_at", "hidden_fields",
        ]  # fmt: skip

    visibility_rule = staticmethod(organization_field_visible)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("portal:organization", args=[obj.slug])
        )


class PlaceSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    country = serializers.CharField(source="country.iso2", read_only=True, allow_null=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, read_only=True, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, read_only=True, allow_null=True
    )


class ContactSerializer(serializers.Serializer):
    """A person who agreed to appear in the directory: a name and a role, never an address."""

    first_name = serializers.CharField(source="person.first_name", read_only=True)
    last_name = serializers.CharField(source="person.last_name", read_only=True)
    role = serializers.CharField(read_only=True)
    is_main_contact = serializers.BooleanField(read_only=True)


class OrganizationDetailSerializer(OrganizationSerializer):
    places = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    is_member = serializers.SerializerMethodField()

    governed = OrganizationSerializer.governed | {"places": "places"}

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "places", "contacts", "is_member"]

    @extend_schema_field(PlaceSerializer(many=True))
    def get_places(self, obj):
        return PlaceSerializer(obj.places.select_related("country"), many=True).data

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, obj):
        from observatoire.portal.records import organization_public_contacts

        return ContactSerializer(organization_public_contacts(obj), many=True).data

    def get_is_member(self, obj) -> bool:
        from django.utils import timezone

        from observatoire.events.services import organization_is_member

        return organization_is_member(obj, on=timezone.localdate())


# Projects -----------------------------------------------------------------------------------


class ProjectPartnerSerializer(serializers.Serializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    organization_slug = serializers.SerializerMethodField()
    role = serializers.CharField(read_only=True)

    def get_organization_slug(self, obj) -> str:
        org = obj.organization
        listed = org.status == Organization.Status.QUALIFIED and not org.merged_into_id
        return org.slug if listed else ""


class ProjectSerializer(VisibilityMixin, serializers.ModelSerializer):
    themes = ThemeSerializer(many=True, read_only=True)
    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    countries = serializers.SlugRelatedField(slug_field="iso2", many=True, read_only=True)
    url = serializers.SerializerMethodField()
    hidden_fields = serializers.ListField(child=serializers.CharField(), read_only=True)

    governed = {
        "summary": "summary",
        "description": "description",
        "planned_start": "dates",
        "planned_end": "dates",
        "actual_start": "dates",
        "actual_end": "dates",
        "places": "places",
        "partners": "partners",
    }

    class Meta:
        model = Project
        fields = [
            "slug", "title", "acronym", "summary", "description", "phase",
            "planned_start", "planned_end", "actual_start", "actual_end",
            "themes", "sdgs", "countries", "url", "updated_at", "hidden_fields",
        ]  # fmt: skip

    visibility_rule = staticmethod(project_field_visible)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("portal:project", args=[obj.slug])
        )


class ProjectDetailSerializer(ProjectSerializer):
    places = PlaceSerializer(many=True, read_only=True)
    partners = ProjectPartnerSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "places", "partners"]


assert set(ProjectSerializer.governed.values()) <= set(PROJECT_VISIBILITY_DEFAULTS)
assert set(OrganizationDetailSerializer.governed.values()) <= set(VISIBILITY_DEFAULTS)


# Events, partnerships, news -----------------------------------------------------------------


class SittingSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)


class EventSerializer(serializers.ModelSerializer):
    themes = ThemeSerializer(many=True, read_only=True)
    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    countries = serializers.SlugRelatedField(slug_field="iso2", many=True, read_only=True)
    commune = serializers.CharField(source="commune.name", read_only=True, allow_null=True)
    sittings = SittingSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug", "title", "kind", "summary", "description", "themes", "sdgs", "countries",
            "organized_by_network", "venue", "address", "commune", "online_url",
            "registration_rule", "capacity", "registration_deadline", "sittings", "url",
            "updated_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(reverse("events:detail", args=[obj.slug]))


class AuthoritySerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.SerializerMethodField()
    country = serializers.CharField(source="seat_country.iso2", read_only=True, allow_null=True)

    def get_slug(self, obj) -> str:
        listed = obj.status == Organization.Status.QUALIFIED and not obj.merged_into_id
        return obj.slug if listed else ""


class PartnershipSerializer(serializers.ModelSerializer):
    french_authority = AuthoritySerializer(read_only=True)
    foreign_authority = AuthoritySerializer(read_only=True)
    themes = ThemeSerializer(many=True, read_only=True)

    class Meta:
        model = Partnership
        fields = [
            "id", "french_authority", "foreign_authority", "kind", "status",
            "since_year", "ended_year", "description", "themes", "updated_at",
        ]  # fmt: skip


class NewsItemSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = NewsItem
        fields = [
            "slug", "title", "summary", "body", "language", "organization", "image_alt",
            "published_at", "url",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(reverse("news:detail", args=[obj.slug]))


# Staff only ---------------------------------------------------------------------------------


def staff_serializer(model_class, form_fields: list[str], *, extra: tuple[str, ...] = ()):
    """The staff view of a record: the fields its back-office form edits, with its id.

    Used for answers and, every field optional, to describe request bodies in the schema;
    the form itself validates what is sent (see writes.py)."""
    meta = type(
        "Meta",
        (),
        {
            "model": model_class,
            "fields": ["id", *form_fields, *extra],
            "read_only_fields": ["id", *extra],
            "extra_kwargs": {name: {"required": False} for name in form_fields},
        },
    )
    return type(
        f"Staff{model_class.__name__}Serializer", (serializers.ModelSerializer,), {"Meta": meta}
    )
