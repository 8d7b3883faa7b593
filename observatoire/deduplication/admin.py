"""Back office of the deduplication: possible duplicates, the merge screen, merges and undo."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from observatoire.referentials.models import Departement

from . import selectors, services
from .access import access_candidate, can_merge, can_view_duplicates
from .models import DuplicateCandidate, MergeRecord


class PermissionsByRole:
    """The back office sees; staff and administrators decide (see access.py)."""

    def has_module_permission(self, request):
        return can_view_duplicates(request.user)

    def has_view_permission(self, request, obj=None):
        return can_view_duplicates(request.user)

    def has_change_permission(self, request, obj=None):
        return can_merge(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*DuplicateCandidate.Status.choices, ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or DuplicateCandidate.Status.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or DuplicateCandidate.Status.OPEN
        if value == "all":
            return queryset
        if value in DuplicateCandidate.Status.values:
            return queryset.filter(status=value)
        return queryset.none()


class ScoreFilter(admin.SimpleListFilter):
    title = _("score")
    parameter_name = "score"
    RANGES = {"95": (0.95, None), "90": (0.9, 0.95), "80": (0.8, 0.9), "0": (None, 0.8)}

    def lookups(self, request, model_admin):
        return [
            ("95", _("0.95 and more")),
            ("90", _("0.90 to 0.95")),
            ("80", _("0.80 to 0.90")),
            ("0", _("under 0.80")),
        ]

    def queryset(self, request, queryset):
        bounds = self.RANGES.get(self.value() or "")
        if bounds is None:
            return queryset
        low, high = bounds
        if low is not None:
            queryset = queryset.filter(score__gte=low)
        if high is not None:
            queryset = queryset.filter(score__lt=high)
        return queryset


class DepartementFilter(admin.SimpleListFilter):
    title = _("département")
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        # Only the départements where pairs are: a list of 101 is no help to staff.
        pairs = DuplicateCandidate.objects.all()
        present = Departement.objects.filter(
            Q(pk__in=pairs.values("first__departement_id"))
            | Q(pk__in=pairs.values("second__departement_id"))
        )
        return [(str(d.pk), f"{d.code} {d.name}") for d in present.order_by("code")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(Q(first__departement_id=value) | Q(second__departement_id=value))


def _organization_link(organization):
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    place = organization.commune.name if organization.commune_id else ""
    return format_html('<a href="{}">{}</a><br><small>{}</small>', url, organization, place or "—")


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(PermissionsByRole, admin.ModelAdmin):
    list_display = [
        "first_link",
        "second_link",
        "score_display",
        "reasons_display",
        "status",
        "merge_link",
    ]
    list_display_links = None
    list_filter = [StatusFilter, ScoreFilter, DepartementFilter]
    list_select_related = ["first__commune", "second__commune", "decided_by"]
    list_per_page = 50
    search_fields = ["first__name", "second__name"]
    search_help_text = _("Name of one of the two organisations")
    actions = ["dismiss_selected", "reopen_selected"]
    change_list_template = "admin/deduplication/duplicatecandidate/change_list.html"

    def get_urls(self):
        return [
            path(
                "run/",
                self.admin_site.admin_view(self.run_view),
                name="deduplication_duplicatecandidate_run",
            ),
            path(
                "<int:pk>/merge/",
                self.admin_site.admin_view(self.merge_view),
                name="deduplication_duplicatecandidate_merge",
            ),
        ] + super().get_urls()

    @admin.display(description=_("organisation"), ordering="first__name")
    def first_link(self, obj):
        return _organization_link(obj.first)

    @admin.display(description=_("possible duplicate"), ordering="second__name")
    def second_link(self, obj):
        return _organization_link(obj.second)

    @admin.display(description=_("score"), ordering="score")
    def score_display(self, obj):
        return f"{obj.score:.2f}"

    @admin.display(description=_("reasons"))
    def reasons_display(self, obj):
        return ", ".join(obj.reason_labels)

    @admin.display(description=_("merge"))
    def merge_link(self, obj):
        if obj.status != DuplicateCandidate.Status.OPEN:
            return obj.decided_by or ""
        url = reverse("admin:deduplication_duplicatecandidate_merge", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Compare and merge"))

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": capfirst(self.opts.verbose_name_plural),
            **(extra_context or {}),
            "can_merge": can_merge(request.user),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A pair has nothing to edit: its page is the comparison.
        if not str(object_id).isdigit():
            return redirect("admin:deduplication_duplicatecandidate_changelist")
        return redirect("admin:deduplication_duplicatecandidate_merge", pk=object_id)

    @admin.action(
        description=_("Not a duplicate: dismiss the selected pairs"), permissions=["change"]
    )
    def dismiss_selected(self, request, queryset):
        count = 0
        for candidate in queryset.filter(status=DuplicateCandidate.Status.OPEN):
            services.candidate_dismiss(candidate=candidate, user=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d pair marked “not a duplicate”: the finder will not propose it again.",
                "%(count)d pairs marked “not a duplicate”: the finder will not propose them again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Review the selected dismissed pairs again"), permissions=["change"]
    )
    def reopen_selected(self, request, queryset):
        count = 0
        for candidate in queryset.filter(status=DuplicateCandidate.Status.DISMISSED):
            services.candidate_reopen(candidate=candidate, user=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d pair to review again.", "%(count)d pairs to review again.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def run_view(self, request):
        if not can_merge(request.user):
            raise PermissionDenied
        if request.method == "POST":
            services.duplicates_find_enqueue()
            messages.info(
                request,
                _(
                    "The duplicate finder is running in the background. Reload this page in a "
                    "minute to see the pairs it found."
                ),
            )
        return redirect("admin:deduplication_duplicatecandidate_changelist")

    def merge_view(self, request, pk: int):
        candidate = access_candidate(request.user, pk)
        changelist_url = reverse("admin:deduplication_duplicatecandidate_changelist")
        first, second = candidate.first, candidate.second
        if first.merged_into_id or second.merged_into_id:
            messages.info(request, _("One of these organisations has already been merged."))
            return redirect(changelist_url)
        data = request.POST if request.method == "POST" else request.GET
        keep = data.get("keep")
        if keep not in ("first", "second"):
            # By default keep the older record: its URL and identifiers have been shared longer.
            keep = "first" if first.created_at <= second.created_at else "second"
        comparison = selectors.merge_comparison(first, second, keep=keep)
        choices = {}
        errors = []
        for row in comparison:
            value = data.get(f"field_{row.name}")
            if value in ("first", "second"):
                row.default = value
            choices[row.name] = row.default
        may_merge = can_merge(request.user) and candidate.status == DuplicateCandidate.Status.OPEN
        if request.method == "POST":
            if not can_merge(request.user):
                raise PermissionDenied
            if candidate.status != DuplicateCandidate.Status.OPEN:
                errors.append(_("This pair has already been decided on."))
            elif data.get("confirm") != "yes":
                errors.append(
                    _("Tick the confirmation box to merge: check the values chosen first.")
                )
            else:
                survivor, merged = (first, second) if keep == "first" else (second, first)
                field_choices = {
                    name: "survivor" if chosen == keep else "merged"
                    for name, chosen in choices.items()
                }
                try:
                    merge = services.organization_merge(
                        survivor=survivor,
                        merged=merged,
                        field_choices=field_choices,
                        user=request.user,
                        candidate=candidate,
                    )
                except services.MergeError as error:
                    errors.append(
                        gettext("The merge could not be made: %(error)s") % {"error": error}
                    )
                else:
                    messages.success(
                        request,
                        format_html(
                            "{} <a href='{}'>{}</a>",
                            gettext("“%(merged)s” was merged into “%(survivor)s”.")
                            % {"merged": merged, "survivor": survivor},
                            reverse("admin:deduplication_mergerecord_change", args=[merge.pk]),
                            gettext("See the merge (it can be undone)"),
                        ),
                    )
                    return redirect("admin:organizations_organization_change", survivor.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Compare and merge"),
            "candidate": candidate,
            "first": first,
            "second": second,
            "keep": keep,
            "comparison": comparison,
            "first_counts": selectors.related_counts(first),
            "second_counts": selectors.related_counts(second),
            "may_merge": may_merge,
            "errors": errors,
        }
        return TemplateResponse(
            request, "admin/deduplication/duplicatecandidate/merge.html", context
        )


@admin.register(MergeRecord)
class MergeRecordAdmin(PermissionsByRole, admin.ModelAdmin):
    list_display = ["merged_at", "survivor_link", "merged_link", "merged_by", "state", "moved"]
    list_select_related = ["survivor__commune", "merged__commune", "merged_by"]
    list_filter = ["merged_at"]
    search_fields = ["survivor__name", "merged__name"]
    readonly_fields = [
        "survivor_link",
        "merged_link",
        "merged_by",
        "merged_at",
        "moved",
        "left",
        "undone_at",
        "undone_by",
    ]
    fields = readonly_fields
    actions = ["undo_selected"]

    @admin.display(description=_("organisation kept"))
    def survivor_link(self, obj):
        return _organization_link(obj.survivor)

    @admin.display(description=_("organisation merged"))
    def merged_link(self, obj):
        return _organization_link(obj.merged)

    @admin.display(description=_("state"))
    def state(self, obj):
        return _("undone") if obj.undone_at else _("merged")

    @admin.display(description=_("rows moved"))
    def moved(self, obj):
        fields = obj.summary.get("fields", [])
        parts = [(label, count) for label, count in obj.summary.get("moved", {}).items()]
        html = format_html_join(", ", "{} : {}", parts) if parts else "—"
        if fields:
            html = format_html(
                "{}<br><small>{} {}</small>",
                html,
                _("Fields taken from the merged record:"),
                ", ".join(fields),
            )
        return html

    @admin.display(description=_("rows left on the merged record"))
    def left(self, obj):
        parts = list(obj.summary.get("left", {}).items())
        return format_html_join(", ", "{} : {}", parts) if parts else "—"

    def has_change_permission(self, request, obj=None):
        # The record itself is never edited; "change" is what the undo action asks for.
        return can_merge(request.user) and obj is None

    @admin.action(description=_("Undo the selected merges"), permissions=["change"])
    def undo_selected(self, request, queryset):
        count = 0
        for merge in queryset.filter(undone_at__isnull=True).order_by("-merged_at", "-pk"):
            try:
                services.merge_undo(merge=merge, user=request.user)
            except services.MergeError:
                self.message_user(
                    request,
                    gettext(
                        "The merge “%(merge)s” cannot be undone before the merges made after it."
                    )
                    % {"merge": merge},
                    messages.ERROR,
                )
                continue
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d merge undone: both organisations are back as they were.",
                "%(count)d merges undone: the organisations are back as they were.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
