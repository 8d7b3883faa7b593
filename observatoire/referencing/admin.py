"""The staff queue of referencing requests, in the back office."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from observatoire.accounts.access import (
    access_referencing_request,
    can_edit_register,
    is_back_office,
)
from observatoire.accounts.models import Role
from observatoire.core.periods import Period
from observatoire.organizations.models import Organization
from observatoire.referentials.models import SDG, ActionKind, Country, Need, Theme

from . import selectors, services
from .models import ORGANIZATION_FIELDS, TAG_FIELDS, ReferencingRequest


class QueueFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("new", _("New")),
            ("waiting", _("Waiting for the requester")),
            ("stale", _("Pending for too long")),
            ("done", pgettext_lazy("requests", "Done")),
            ("unconfirmed", _("E-mail not confirmed")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "new":
            return queryset.new()
        if value == "waiting":
            return queryset.waiting()
        if value == "stale":
            return queryset.stale()
        if value == "done":
            return queryset.done()
        if value == "unconfirmed":
            return queryset.unconfirmed()
        # Requests whose address nobody confirmed stay out of the queue unless asked for.
        return queryset.confirmed()


TAG_MODELS = {
    "action_kinds": ActionKind,
    "themes": Theme,
    "sdgs": SDG,
    "countries": Country,
    "needs": Need,
}


class QualifyForm(forms.Form):
    """Qualification: which value each field keeps, and the tags as staff complete them."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.all(), required=False)

    def __init__(self, *args, referencing_request, compared=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.referencing_request = referencing_request
        # Kept for the page, which shows these rows beside the choices.
        self.rows = selectors.compare_fields(referencing_request, compared)
        for row in self.rows:
            if row.name not in ORGANIZATION_FIELDS:
                continue
            self.fields[f"take_{row.name}"] = forms.ChoiceField(
                label=row.label,
                choices=[("request", _("the request's")), ("current", _("the current one"))],
                initial="request" if row.proposed and row.differs else "current",
                widget=forms.RadioSelect,
                required=False,
            )
        for name in TAG_FIELDS:
            model = TAG_MODELS[name]
            queryset = model.objects.all()
            proposed = set(getattr(referencing_request, name).values_list("pk", flat=True))
            current = (
                set(getattr(compared, name).values_list("pk", flat=True)) if compared else set()
            )
            self.fields[name] = forms.ModelMultipleChoiceField(
                label=ReferencingRequest._meta.get_field(name).verbose_name,
                queryset=queryset,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=sorted(proposed | current),
            )
        if compared is not None:
            self.fields["organization"].initial = compared.pk

    def fields_from_request(self) -> list[str]:
        return [
            name
            for name in ORGANIZATION_FIELDS
            if self.cleaned_data.get(f"take_{name}") == "request"
        ]

    def tags(self) -> dict:
        return {name: list(self.cleaned_data.get(name) or []) for name in TAG_FIELDS}


class MessageForm(forms.Form):
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


@admin.register(ReferencingRequest)
class ReferencingRequestAdmin(admin.ModelAdmin):
    change_list_template = "admin/referencing/referencingrequest/change_list.html"
    list_display = [
        "number",
        "name",
        "commune",
        "kind",
        "queue_state",
        "requester_email",
        "created_at",
        "handled_by",
    ]
    list_display_links = ["number", "name"]
    list_filter = [QueueFilter]
    list_select_related = ["commune", "kind", "handled_by"]
    search_fields = ["name", "acronym", "requester_email", "siren", "rna", "contacts__last_name"]
    search_help_text = _("Name, acronym, SIREN, RNA, requester's e-mail or a contact's name")
    list_per_page = 50
    ordering = ["-created_at"]

    # The requests come from the public form and leave through qualification or rejection.
    def has_module_permission(self, request):
        return is_back_office(request.user)

    def has_view_permission(self, request, obj=None):
        return is_back_office(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_register(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Only spam is worth deleting; administrators do it.
        return request.user.is_active and request.user.role == Role.ADMINISTRATOR

    @admin.display(description=_("no."), ordering="pk")
    def number(self, obj):
        return obj.pk

    @admin.display(description=_("state"), ordering="state")
    def queue_state(self, obj):
        if obj.email_confirmed_at is None and obj.is_open:
            return _("E-mail not confirmed")
        if obj.is_stale:
            return format_html(
                '{} <strong class="stale">({})</strong>',
                obj.get_state_display(),
                _("pending for too long"),
            )
        return obj.get_state_display()

    def changelist_view(self, request, extra_context=None):
        year = timezone.localdate().year
        figures = []
        for each in (year, year - 1):
            figures.append((each, selectors.referencing_figures(period=Period.year(each))))
        queryset = ReferencingRequest.objects.all()
        extra_context = {
            **(extra_context or {}),
            "figures": figures,
            "queue_counts": {
                "new": queryset.new().count(),
                "waiting": queryset.waiting().count(),
                "stale": queryset.stale().count(),
            },
        }
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/qualify/",
                self.admin_site.admin_view(self.qualify_view),
                name="{}_{}_qualify".format(*info),
            ),
            path(
                "<int:pk>/ask/",
                self.admin_site.admin_view(self.ask_view),
                name="{}_{}_ask".format(*info),
            ),
            path(
                "<int:pk>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="{}_{}_reject".format(*info),
            ),
        ] + super().get_urls()

    def _review_url(self, pk, compare=None):
        url = reverse("admin:referencing_referencingrequest_change", args=[pk])
        return f"{url}?compare={compare}" if compare else url

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The request beside its possible duplicates, field by field, with the actions."""
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            return redirect("admin:referencing_referencingrequest_changelist")
        referencing_request = access_referencing_request(request.user, pk)
        candidates = selectors.request_duplicates(referencing_request)
        compared = None
        compare = request.GET.get("compare", "")
        if compare.isdigit():
            compared = (
                next(
                    (m.organization for m in candidates if m.organization.pk == int(compare)), None
                )
                or Organization.objects.filter(pk=int(compare)).first()
            )
        elif compare != "none":
            if referencing_request.organization_id:
                compared = referencing_request.organization
            elif referencing_request.target_organization_id:
                compared = referencing_request.target_organization
            elif candidates:
                compared = candidates[0].organization
        can_act = can_edit_register(request.user) and referencing_request.is_open
        qualify_form = QualifyForm(referencing_request=referencing_request, compared=compared)
        rows = [
            (
                row,
                qualify_form[f"take_{row.name}"]
                if f"take_{row.name}" in qualify_form.fields
                else None,
            )
            for row in qualify_form.rows
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": str(referencing_request),
            "original": referencing_request,
            "request_obj": referencing_request,
            "contacts": referencing_request.contacts.all(),
            "candidates": candidates,
            "compared": compared,
            "rows": rows,
            "qualify_form": qualify_form,
            "tag_fields": [qualify_form[name] for name in TAG_FIELDS],
            "can_act": can_act,
            "ask_form": MessageForm(prefix="ask"),
            "reject_form": MessageForm(prefix="reject"),
            "has_view_permission": True,
            **(extra_context or {}),
        }
        return TemplateResponse(
            request, "admin/referencing/referencingrequest/review.html", context
        )

    def _post_only(self, request, pk):
        if request.method != "POST":
            return None, redirect(self._review_url(pk))
        referencing_request = access_referencing_request(request.user, pk, write=True)
        return referencing_request, None

    def qualify_view(self, request, pk: int):
        referencing_request, response = self._post_only(request, pk)
        if response:
            return response
        organization = None
        if request.POST.get("mode") == "update":
            chosen = request.POST.get("organization") or ""
            if chosen.isdigit():
                organization = Organization.objects.filter(pk=int(chosen)).first()
            if organization is None:
                messages.error(request, _("Choose the organisation to update."))
                return redirect(self._review_url(pk))
        form = QualifyForm(
            request.POST, referencing_request=referencing_request, compared=organization
        )
        if not form.is_valid():
            messages.error(request, _("Some choices are not valid: check the form."))
            return redirect(self._review_url(pk, organization.pk if organization else None))
        try:
            result = services.referencing_request_qualify(
                referencing_request=referencing_request,
                by=request.user,
                organization=organization,
                fields_from_request=form.fields_from_request() if organization else None,
                tags=form.tags(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(_messages_of(error)))
            return redirect(self._review_url(pk, organization.pk if organization else None))
        messages.success(
            request,
            _("Request no. %(number)s qualified: “%(name)s” is in the register.")
            % {"number": pk, "name": result.name},
        )
        return redirect("admin:organizations_organization_change", result.pk)

    def _message_action(self, request, pk, *, prefix, service, success):
        referencing_request, response = self._post_only(request, pk)
        if response:
            return response
        form = MessageForm(request.POST, prefix=prefix)
        if not form.is_valid():
            messages.error(request, _("Write the message to send to the requester."))
            return redirect(self._review_url(pk))
        try:
            service(referencing_request, form.cleaned_data["message"], request.user)
        except ValidationError as error:
            messages.error(request, " ".join(_messages_of(error)))
            return redirect(self._review_url(pk))
        messages.success(request, success % {"number": pk})
        return redirect("admin:referencing_referencingrequest_changelist")

    def ask_view(self, request, pk: int):
        return self._message_action(
            request,
            pk,
            prefix="ask",
            service=lambda r, m, by: services.referencing_request_ask_information(
                referencing_request=r, message=m, by=by
            ),
            success=_("Request no. %(number)s: the question was sent to the requester."),
        )

    def reject_view(self, request, pk: int):
        return self._message_action(
            request,
            pk,
            prefix="reject",
            service=lambda r, m, by: services.referencing_request_reject(
                referencing_request=r, reason=m, by=by
            ),
            success=_("Request no. %(number)s rejected; the requester was told why."),
        )


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {m}" for field, msgs in error.message_dict.items() for m in msgs]
    return list(error.messages)
