"""The back office of the register, built on Django's admin."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from observatoire.accounts.access import (
    access_person,
    access_person_erasure,
    access_register_export,
)
from observatoire.core.exports import EXPORT_FORMATS, export_response

from . import privacy, record_panels, selectors, services
from .exports import membership_export_rows, organization_export_rows, person_export_rows
from .models import (
    VISIBILITY_DEFAULTS,
    Affiliation,
    BoardSeat,
    Consent,
    Interaction,
    InterventionPlace,
    Membership,
    Organization,
    OrganizationRelation,
    Person,
    PersonEmail,
    PersonPhone,
    RegisterExport,
    SavedSearch,
    Visibility,
)

# Query-string keys that are display state, not filters: they never go in a saved search.
DISPLAY_PARAMETERS = {"o", "p", "e", "all", "_changelist_filters", "_to_field", "_popup"}


def _list_filter_for(register_filter, *, hide_archived: bool = False):
    """An admin sidebar filter that applies a filter of the register's selectors."""

    class RegisterListFilter(admin.SimpleListFilter):
        title = register_filter.label
        parameter_name = register_filter.parameter

        def lookups(self, request, model_admin):
            return register_filter.choices()

        def queryset(self, request, queryset):
            value = self.value()
            if value in (None, ""):
                # Archived records leave the lists unless asked for by their status.
                return queryset.not_archived() if hide_archived else queryset
            return register_filter.apply(queryset, value, request.GET)

    RegisterListFilter.__name__ = f"{register_filter.parameter.title()}Filter"
    return RegisterListFilter


class MembershipColumnChangeList(ChangeList):
    """Fills the "member this year" column for the rows of the page only, in one query.

    Annotating every match before sorting costs more than the rest of a broad search, so the
    column is annotated on the whole list only when staff sort on it.
    """

    def get_queryset(self, request, exclude_parameters=None):
        column = self.list_display.index("member_this_year")
        annotated = "_up_to_date" in self.root_queryset.query.annotations
        if column in self.get_ordering_field_columns() and not annotated:
            year = timezone.localdate().year
            up_to_date = Membership.objects.filter(organization=OuterRef("pk")).up_to_date(year)
            self.root_queryset = self.root_queryset.annotate(_up_to_date=Exists(up_to_date))
        return super().get_queryset(request, exclude_parameters)

    def get_results(self, request):
        super().get_results(request)
        self.result_list = list(self.result_list)
        if self.result_list and not hasattr(self.result_list[0], "_up_to_date"):
            year = timezone.localdate().year
            up_to_date = set(
                Membership.objects.filter(organization__in=self.result_list)
                .up_to_date(year)
                .values_list("organization_id", flat=True)
            )
            for organization in self.result_list:
                organization._up_to_date = organization.pk in up_to_date


class RegisterChangeListMixin:
    """Search through the selectors, CSV/XLSX exports and saved searches on a changelist."""

    export_target: str
    change_list_template = "admin/organizations/register_change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/<str:file_format>/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "save-search/",
                self.admin_site.admin_view(self.save_search_view),
                name="{}_{}_save_search".format(*info),
            ),
        ] + super().get_urls()

    def filter_params(self, request) -> dict[str, str]:
        return {k: v for k, v in request.GET.items() if k not in DISPLAY_PARAMETERS and v != ""}

    def export_view(self, request, file_format: str):
        access_register_export(request.user, target=self.export_target)
        if file_format not in EXPORT_FORMATS:
            messages.error(request, _("Unknown export format."))
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        changelist = self.get_changelist_instance(request)
        queryset = changelist.get_queryset(request)
        if queryset.count() > settings.EXPORT_SYNC_LIMIT:
            services.register_export_request(
                owner=request.user,
                target=self.export_target,
                query_string=urlencode(self.filter_params(request)),
                file_format=file_format,
            )
            messages.info(
                request,
                _(
                    "This list is long: the export is being prepared and you will receive "
                    "a download link by e-mail at %(email)s."
                )
                % {"email": request.user.email},
            )
            changelist_url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
            )
            return redirect(f"{changelist_url}?{urlencode(self.filter_params(request))}")
        headers, rows = self.export_rows(queryset, request.user)  # each admin names its columns
        return export_response(
            headers=headers,
            rows=rows,
            file_format=file_format,
            filename=str(self.opts.verbose_name_plural).replace(" ", "-"),
        )

    def save_search_view(self, request):
        changelist_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        if request.method != "POST":
            return redirect(changelist_url)
        name = (request.POST.get("name") or "").strip()[:200]
        query_string = (request.POST.get("query_string") or "")[:2000]
        if not name:
            messages.error(request, _("Give the search a name to save it."))
            return redirect(f"{changelist_url}?{query_string}")
        SavedSearch.objects.create(
            name=name,
            target=self.export_target,
            query_string=query_string,
            owner=request.user,
            is_shared=request.POST.get("is_shared") == "on",
        )
        messages.success(request, _("The search “%(name)s” was saved.") % {"name": name})
        return redirect(f"{changelist_url}?{query_string}")

    def changelist_view(self, request, extra_context=None):
        params = self.filter_params(request)
        extra_context = {
            **(extra_context or {}),
            "current_query_string": urlencode(params),
            "has_filters": bool(params),
            "saved_searches": selectors.saved_searches_for_user(
                request.user, target=self.export_target
            ),
            "can_export": request.user.has_perm(f"organizations.export_{self.opts.model_name}"),
            "export_formats": EXPORT_FORMATS,
        }
        return super().changelist_view(request, extra_context=extra_context)


def _visibility_label(field: str):
    if field == "places":
        return InterventionPlace._meta.verbose_name_plural
    if field == "relations":
        return OrganizationRelation._meta.verbose_name_plural
    return Organization._meta.get_field(field).verbose_name


# One visibility choice per publishable field, declared so the admin's fieldsets can name them.
VisibilityForm = type(
    "VisibilityForm",
    (forms.Form,),
    {
        f"visibility_{field}": forms.ChoiceField(
            label=_visibility_label(field), choices=Visibility.choices
        )
        for field in VISIBILITY_DEFAULTS
    },
)


class OrganizationAdminForm(forms.ModelForm, VisibilityForm):
    """The organisation form, with the visibility of each publishable field."""

    class Meta:
        model = Organization
        fields = [
            "name", "acronym", "kind", "legal_form", "status", "source",
            "siren", "siret", "rna", "iati_id",
            "description", "website", "public_email", "phone",
            "address_line1", "address_line2", "postal_code", "commune",
            "seat_country", "seat_locality",
            "latitude", "longitude", "coordinates_overridden",
            "themes", "sdgs", "action_kinds", "countries", "needs",
            "publishes_directly",
        ]  # fmt: skip
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "action_kinds": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.field_visibility or {}
        for field, default in VISIBILITY_DEFAULTS.items():
            self.fields[f"visibility_{field}"].initial = current.get(field, default)

    create_anyway = forms.BooleanField(
        label=_("Create anyway"),
        required=False,
        help_text=_("Tick if the organisations listed above are not the one you are adding."),
    )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("create_anyway"):
            self._check_duplicates(cleaned)
        visibility = {}
        for field, default in VISIBILITY_DEFAULTS.items():
            chosen = cleaned.get(f"visibility_{field}") or default
            if chosen != default:
                visibility[field] = chosen
        self.instance.field_visibility = visibility
        return cleaned

    def _check_duplicates(self, cleaned) -> None:
        """Stop a new record that looks like one of the register, until "create anyway"."""
        from observatoire.deduplication.matching import Description, find_matches

        if not cleaned.get("name"):
            return
        matches = find_matches(Description.from_values(cleaned, with_contact=True))
        if not matches:
            return
        links = format_html_join(
            "",
            '<li><a href="{}" target="_blank">{}</a> — {} ({})</li>',
            (
                (
                    reverse("admin:organizations_organization_change", args=[m.organization.pk]),
                    m.organization,
                    f"{m.score:.2f}",
                    ", ".join(m.reasons),
                )
                for m in matches
            ),
        )
        raise forms.ValidationError(
            format_html(
                "{}<ul>{}</ul>{}",
                _("This organisation may already be in the register:"),
                links,
                _("Open them to check. If yours is another one, tick “Create anyway” below."),
            ),
            code="possible_duplicate",
        )


class InterventionPlaceInline(admin.TabularInline):
    model = InterventionPlace
    extra = 0
    autocomplete_fields = ["country"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "role", "start_date", "end_date", "is_main_contact"]
    verbose_name_plural = _("people")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["year", "college", "fee_amount", "paid_on", "up_to_date"]
    readonly_fields = ["up_to_date"]

    @admin.display(description=_("up to date on 31 December"), boolean=True)
    def up_to_date(self, obj):
        return obj.is_up_to_date if obj.pk else None


class RelationInline(admin.TabularInline):
    model = OrganizationRelation
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["target"]
    verbose_name_plural = _("relations with other organisations")


class BoardSeatInline(admin.TabularInline):
    model = BoardSeat
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Organization)
class OrganizationAdmin(RegisterChangeListMixin, SimpleHistoryAdmin):
    export_target = SavedSearch.Target.ORGANIZATIONS
    form = OrganizationAdminForm

    class Media:
        css = {"all": ["admin/observatoire/register.css"]}

    change_form_template = "admin/organizations/organization/change_form.html"
    list_display = [
        "name",
        "acronym",
        "kind",
        "commune",
        "departement_code",
        "status",
        "member_this_year",
        "updated_at",
    ]
    list_display_links = ["name"]
    list_select_related = ["kind", "commune", "departement"]
    list_per_page = 50
    show_full_result_count = False
    search_fields = ["name"]  # replaced by get_search_results; keeps the search box shown
    search_help_text = _("Name, acronym, SIREN/SIRET/RNA, postal code, town or a contact's name")
    list_filter = [
        _list_filter_for(f, hide_archived=f.parameter == "status")
        for f in selectors.ORGANIZATION_FILTERS
    ]
    autocomplete_fields = ["kind", "commune", "countries", "seat_country"]
    inlines = [
        AffiliationInline,
        MembershipInline,
        InterventionPlaceInline,
        RelationInline,
        BoardSeatInline,
    ]
    readonly_fields = [
        "departement",
        "region",
        "status_before_archive",
        "archived_at",
        "created_at",
        "updated_at",
    ]
    actions = ["archive_selected", "restore_selected"]
    fieldsets = [
        (None, {"fields": ["name", "acronym", "kind", "legal_form", "status", "source"]}),
        (_("Identifiers"), {"fields": ["siren", "siret", "rna", "iati_id"]}),
        (_("Organisation space"), {"fields": ["publishes_directly"]}),
        (_("Presentation"), {"fields": ["description", "website", "public_email", "phone"]}),
        (
            _("Address"),
            {
                "fields": [
                    "address_line1",
                    "address_line2",
                    "postal_code",
                    "commune",
                    "departement",
                    "region",
                    ("seat_country", "seat_locality"),
                    ("latitude", "longitude"),
                    "coordinates_overridden",
                ]
            },
        ),
        (
            _("Qualification"),
            {"fields": ["themes", "sdgs", "action_kinds", "countries", "needs"]},
        ),
        (
            _("Visibility of fields"),
            {
                "classes": ["collapse"],
                "description": _("Who may see each field on the public site."),
                "fields": [f"visibility_{field}" for field in VISIBILITY_DEFAULTS],
            },
        ),
        (
            _("Record"),
            {"classes": ["collapse"], "fields": ["archived_at", "created_at", "updated_at"]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None and request.method == "POST":
            # Shown once a first attempt found possible duplicates (see the form's clean).
            fieldsets = [(_("Possible duplicates"), {"fields": ["create_anyway"]}), *fieldsets]
        return fieldsets

    def get_changelist(self, request, **kwargs):
        return MembershipColumnChangeList

    def get_search_results(self, request, queryset, search_term):
        return selectors.organization_search(queryset, search_term), False

    def export_rows(self, queryset, user=None):
        return organization_export_rows(queryset, user)

    @admin.display(description=_("dept."), ordering="departement__code")
    def departement_code(self, obj):
        return obj.departement.code if obj.departement else ""

    @admin.display(description=_("member this year"), boolean=True, ordering="_up_to_date")
    def member_this_year(self, obj):
        return getattr(obj, "_up_to_date", None)

    def has_delete_permission(self, request, obj=None):
        # Deleting archives instead, so that nothing is lost and it can be undone.
        return False

    def save_model(self, request, obj, form, change):
        services.organization_save(organization=obj, changed_by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.organization_refresh_search_text(organization_ids=[form.instance.pk])

    @admin.action(description=_("Archive the selected organisations"), permissions=["change"])
    def archive_selected(self, request, queryset):
        count = 0
        for organization in queryset:
            services.organization_archive(organization=organization, changed_by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d organisation archived. Filter on the “Archived” status to restore it.",
                "%(count)d organisations archived. "
                "Filter on the “Archived” status to restore them.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Restore the selected archived organisations"), permissions=["change"]
    )
    def restore_selected(self, request, queryset):
        count = 0
        for organization in queryset.filter(status=Organization.Status.ARCHIVED):
            services.organization_restore(organization=organization, changed_by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d organisation restored.", "%(count)d organisations restored.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        organization = self.get_object(request, object_id)
        if organization is not None and organization.merged_into_id:
            # A merged record lives on in the one it was merged into.
            survivor = organization.survivor
            messages.info(
                request,
                _("“%(merged)s” was merged into “%(survivor)s”: here is that record.")
                % {"merged": organization, "survivor": survivor},
            )
            return redirect("admin:organizations_organization_change", survivor.pk)
        if organization is not None:
            extra_context["timeline"] = selectors.organization_timeline(organization)
            extra_context["timeline_prefill"] = "organizations"
            extra_context["record_panels"] = record_panels.organization_panels(
                organization, request
            )
        return super().change_view(request, object_id, form_url, extra_context)


class PersonEmailInline(admin.TabularInline):
    model = PersonEmail
    extra = 0


class PersonPhoneInline(admin.TabularInline):
    model = PersonPhone
    extra = 0


class PersonAffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "start_date", "end_date", "is_main_contact"]


class ConsentInline(admin.TabularInline):
    """Consents are a proof trail: new ones are added, recorded ones are never edited."""

    model = Consent
    extra = 0
    fields = ["purpose", "granted", "given_at", "source", "wording"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(RegisterChangeListMixin, SimpleHistoryAdmin):
    export_target = SavedSearch.Target.PEOPLE
    change_form_template = "admin/organizations/person/change_form.html"
    list_display = [
        "last_name",
        "first_name",
        "job_title",
        "main_organization",
        "main_email",
        "state",
    ]
    list_display_links = ["last_name", "first_name"]
    list_per_page = 50
    show_full_result_count = False
    search_fields = ["last_name"]
    search_help_text = _("Name, function or e-mail address")
    list_filter = [_list_filter_for(f) for f in selectors.PERSON_FILTERS]
    inlines = [PersonEmailInline, PersonPhoneInline, PersonAffiliationInline, ConsentInline]
    fields = ["first_name", "last_name", "job_title", "notes", "source"]
    actions = ["archive_selected", "restore_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                "emails",
                Prefetch(
                    "affiliations",
                    queryset=Affiliation.objects.select_related("organization"),
                ),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        return selectors.person_search(queryset, search_term), False

    def export_rows(self, queryset, user=None):
        return person_export_rows(queryset.filter(erased_at__isnull=True), user)

    @admin.display(description=_("organisation"))
    def main_organization(self, obj):
        affiliations = list(obj.affiliations.all())
        main = next((a for a in affiliations if a.is_main_contact), None) or (
            affiliations[0] if affiliations else None
        )
        return main.organization.name if main else ""

    @admin.display(description=_("e-mail"))
    def main_email(self, obj):
        return obj.primary_email

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.erased_at:
            return _("anonymised")
        if obj.archived_at:
            return _("archived")
        return _("active")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.person_save(person=obj, changed_by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.person_refresh_search_text(person=form.instance)

    @admin.action(description=_("Archive the selected people"), permissions=["change"])
    def archive_selected(self, request, queryset):
        count = 0
        for person in queryset.filter(archived_at__isnull=True):
            services.person_archive(person=person, changed_by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d person archived.", "%(count)d people archived.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Restore the selected archived people"), permissions=["change"])
    def restore_selected(self, request, queryset):
        count = 0
        for person in queryset.filter(archived_at__isnull=False, erased_at__isnull=True):
            services.person_restore(person=person, changed_by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d person restored.", "%(count)d people restored.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/personal-data/<str:file_format>/",
                self.admin_site.admin_view(self.personal_data_view),
                name="organizations_person_personal_data",
            ),
            path(
                "<int:pk>/erase/",
                self.admin_site.admin_view(self.erase_view),
                name="organizations_person_erase",
            ),
        ] + super().get_urls()

    def personal_data_view(self, request, pk: int, file_format: str):
        person = access_person(request.user, pk)
        if file_format == "json":
            response = HttpResponse(
                privacy.person_personal_data_json(person),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="personal-data-{person.pk}.json"'
            )
            return response
        return export_response(
            headers=[_("Section"), _("Field"), _("Value")],
            rows=privacy.person_personal_data_rows(person),
            file_format="csv",
            filename=f"personal-data-{person.pk}",
        )

    def erase_view(self, request, pk: int):
        person = access_person_erasure(request.user, pk)
        change_url = reverse("admin:organizations_person_change", args=[person.pk])
        if person.erased_at:
            messages.info(request, _("This person has already been anonymised."))
            return HttpResponseRedirect(change_url)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            privacy.person_erase(person=person, erased_by=request.user)
            messages.success(
                request,
                _("The person was anonymised: their personal data and its history are erased."),
            )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "person": person,
            "title": _("Anonymise a person"),
        }
        return TemplateResponse(request, "admin/organizations/person/erase_confirm.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        person = self.get_object(request, object_id)
        if person is not None:
            extra_context["timeline"] = selectors.person_timeline(person)
            extra_context["timeline_prefill"] = "people"
            extra_context["can_erase"] = request.user.has_perm("organizations.erase_person")
            extra_context["record_panels"] = record_panels.person_panels(person, request)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "year", "college", "fee_amount", "paid_on", "up_to_date"]
    list_editable = ["fee_amount", "paid_on"]
    list_filter = ["year", "college"]
    list_select_related = ["organization", "college"]
    search_fields = ["organization__name", "organization__acronym"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "paid_on"

    @admin.display(description=_("up to date on 31 December"), boolean=True)
    def up_to_date(self, obj):
        return obj.is_up_to_date

    actions = ["export_csv", "export_xlsx"]

    def _export(self, request, queryset, file_format: str):
        access_register_export(request.user, target="organizations")
        headers, rows = membership_export_rows(queryset.order_by("-year", "organization__name"))
        return export_response(
            headers=headers, rows=rows, file_format=file_format, filename="adhesions"
        )

    @admin.action(description=_("Export the selected memberships (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description=_("Export the selected memberships (XLSX)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")


@admin.register(BoardSeat)
class BoardSeatAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "person", "college", "office", "start_date", "end_date"]
    list_filter = ["college"]
    list_select_related = ["organization", "person", "college"]
    autocomplete_fields = ["organization", "person"]
    search_fields = ["organization__name", "person__last_name"]


@admin.register(Interaction)
class InteractionAdmin(SimpleHistoryAdmin):
    list_display = ["occurred_at", "kind", "subject", "staff_member", "organization_names"]
    list_filter = ["kind", "staff_member", "themes"]
    date_hierarchy = "occurred_at"
    search_fields = ["subject", "notes", "organizations__name"]
    autocomplete_fields = ["organizations", "people"]
    filter_horizontal = ["themes"]
    list_select_related = ["staff_member"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("organizations")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("staff_member", request.user.pk)
        initial.setdefault("occurred_at", timezone.now())
        return initial

    @admin.display(description=_("organisations"))
    def organization_names(self, obj):
        return ", ".join(o.name for o in obj.organizations.all())


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "target", "owner", "is_shared", "open_link", "updated_at"]
    list_filter = ["target", "is_shared"]
    search_fields = ["name"]
    readonly_fields = ["owner"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")

    @admin.display(description=_("open"))
    def open_link(self, obj):
        model = "organization" if obj.target == SavedSearch.Target.ORGANIZATIONS else "person"
        url = reverse(f"admin:organizations_{model}_changelist")
        return format_html('<a href="{}?{}">{}</a>', url, obj.query_string, _("Open the list"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)


@admin.register(RegisterExport)
class RegisterExportAdmin(admin.ModelAdmin):
    """Large exports: each person sees and downloads their own."""

    list_display = ["requested_at", "target", "file_format", "state", "row_count", "download"]
    list_filter = ["state", "target"]
    readonly_fields = [f.name for f in RegisterExport._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(owner=request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        if not obj.file:
            return ""
        url = reverse("organizations:export_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))
