"""Back office of decentralised cooperation: partnerships with their agreements and contacts,
missions with their delegations, and the twin-town import screen (upload → preview → import)."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from observatoire.accounts.access import can_edit_register, is_back_office
from observatoire.imports.reading import ReadError

from .models import Agreement, Mission, MissionParticipant, Partnership, PartnershipContact
from .twinnings import ATTRIBUTION, COLUMNS, twinnings_import

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_SALT = "observatoire.partnerships.twinning-file"


class PermissionsByRole:
    """The back office reads partnerships; staff and administrators change them."""

    def has_module_permission(self, request):
        return is_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_back_office(request.user)

    def has_add_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_delete_permission(self, request, obj=None):
        return can_edit_register(request.user)


class AgreementInline(PermissionsByRole, admin.TabularInline):
    model = Agreement
    fk_name = "partnership"
    extra = 0
    fields = ["title", "status", "signed_on", "starts_on", "ends_on", "renews", "document"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "renews":
            partnership_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Agreement.objects.filter(partnership_id=partnership_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ContactInline(PermissionsByRole, admin.TabularInline):
    model = PartnershipContact
    extra = 0
    autocomplete_fields = ["person"]


class MissionInline(PermissionsByRole, admin.TabularInline):
    model = Mission
    fk_name = "partnership"
    extra = 0
    fields = ["title", "direction", "status", "starts_on", "ends_on", "cost"]
    show_change_link = True


@admin.register(Partnership)
class PartnershipAdmin(PermissionsByRole, SimpleHistoryAdmin):
    change_list_template = "admin/partnerships/partnership/change_list.html"
    list_display = [
        "french_authority",
        "foreign_authority",
        "foreign_country",
        "kind",
        "status",
        "since_year",
        "officer",
    ]
    list_filter = ["kind", "status", "foreign_authority__seat_country"]
    list_select_related = ["french_authority", "foreign_authority__seat_country", "officer"]
    search_fields = ["french_authority__name", "foreign_authority__name"]
    autocomplete_fields = ["french_authority", "foreign_authority"]
    filter_horizontal = ["themes"]
    readonly_fields = ["source"]
    inlines = [AgreementInline, ContactInline, MissionInline]
    fieldsets = [
        (None, {"fields": ["french_authority", "foreign_authority", "kind", "status"]}),
        (_("Dates"), {"fields": ["since_year", "ended_year"]}),
        (None, {"fields": ["description", "themes", "officer", "is_public", "source"]}),
    ]

    @admin.display(description=gettext_lazy("country"), ordering="foreign_authority__seat_country")
    def foreign_country(self, partnership):
        country = partnership.foreign_authority.seat_country
        return country.name_fr if country else "—"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "import-jumelages/",
                view(import_twinnings_view),
                name="partnerships_partnership_import",
            ),
            *super().get_urls(),
        ]


class ParticipantInline(PermissionsByRole, admin.TabularInline):
    model = MissionParticipant
    extra = 1
    autocomplete_fields = ["person", "organization"]


@admin.register(Mission)
class MissionAdmin(PermissionsByRole, admin.ModelAdmin):
    list_display = ["title", "partnership", "project", "direction", "status", "starts_on", "cost"]
    list_filter = ["direction", "status"]
    list_select_related = [
        "partnership__french_authority",
        "partnership__foreign_authority",
        "project",
    ]
    search_fields = ["title", "destination", "partnership__french_authority__name"]
    autocomplete_fields = ["partnership"]
    raw_id_fields = ["project"]
    date_hierarchy = "starts_on"
    inlines = [ParticipantInline]


# The twin-town import ------------------------------------------------------------------------


class TwinningFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List of twin towns (CSV)"),
        help_text=gettext_lazy(
            "Columns city1, country1, lat1, lng1, city2, country2, lat2, lng2; either side may "
            "be the French town."
        ),
    )
    create_french = forms.BooleanField(
        label=gettext_lazy("Create the French authorities missing from the register"),
        required=False,
        help_text=gettext_lazy(
            "Otherwise a pair whose French commune has no local authority in the register is "
            "reported and skipped."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


def import_twinnings_view(request):
    """Check a twin-town list row by row, then create the twinnings it holds."""
    if not can_edit_register(request.user):
        raise PermissionDenied
    form = TwinningFileForm()
    result, token, done = None, "", False
    if request.method == "POST" and "token" in request.POST:
        try:
            payload = signing.loads(request.POST["token"], salt=UPLOAD_SALT, max_age=3600)
        except signing.BadSignature:
            payload = None
        if not payload or not default_storage.exists(payload["path"]):
            messages.error(request, _("The checked file is no longer available: send it again."))
            return redirect("admin:partnerships_partnership_import")
        with default_storage.open(payload["path"], "rb") as file:
            result = twinnings_import(
                file=file, create_french=payload["create_french"], changed_by=request.user
            )
        default_storage.delete(payload["path"])
        done = True
        messages.success(
            request,
            _(
                "%(created)d twinning(s) created, %(existing)d already recorded, "
                "%(rejected)d row(s) rejected."
            )
            % {"created": result.created, "existing": result.existing, "rejected": result.rejected},
        )
    elif request.method == "POST":
        form = TwinningFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            create_french = form.cleaned_data["create_french"]
            try:
                result = twinnings_import(file=upload, dry_run=True, create_french=create_french)
            except ReadError as error:
                form.add_error("file", str(error))
            else:
                if result.created:
                    upload.seek(0)
                    stored = default_storage.save(
                        f"imports/twinnings/{uuid.uuid4()}.csv", ContentFile(upload.read())
                    )
                    token = signing.dumps(
                        {"path": stored, "create_french": create_french}, salt=UPLOAD_SALT
                    )
    return render(
        request,
        "admin/partnerships/import_twinnings.html",
        {
            **admin.site.each_context(request),
            "opts": Partnership._meta,
            "title": _("Import twin towns"),
            "form": form,
            "result": result,
            "token": token,
            "done": done,
            "columns": ",".join(COLUMNS),
            "attribution": ATTRIBUTION,
            "list_url": reverse("admin:partnerships_partnership_changelist"),
        },
    )
