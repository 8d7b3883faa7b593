"""The forms of a project's workspace pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from observatoire.accounts.models import Role
from observatoire.core.images import clean_image
from observatoire.events.models import Event
from observatoire.groups.models import Group
from observatoire.organizations.models import Organization, Person, Visibility
from observatoire.partnerships.models import Partnership
from observatoire.referencing.forms import AccessibleFormMixin, parse_commune_query
from observatoire.referentials.models import (
    SDG,
    Country,
    DacSector,
    OrganizationKind,
    SDGTarget,
    Theme,
)
from observatoire.referentials.selectors import commune_find

from .models import (
    PROJECT_VISIBILITY_DEFAULTS,
    ChecklistItem,
    Decision,
    ExpectedResult,
    GovernanceBody,
    Indicator,
    IndicatorValue,
    Objective,
    Phase,
    Project,
    ProjectDocument,
    ProjectPartner,
    ProjectPlace,
    ProjectUpdate,
    Stakeholder,
)
from .services import check_budget_shares, indicator_value_record


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date_field(label, *, required=False):
    return forms.DateField(label=label, required=required, widget=DateInput)


VISIBILITY_LABELS = {
    "summary": _("Summary"),
    "description": _("Description"),
    "dates": _("Dates"),
    "places": _("Places"),
    "partners": _("Partners"),
    "budget": _("Budget"),
    "funders": _("Funders"),
    "results": _("Results"),
    "updates": _("News"),
    "documents": _("Documents"),
    "stakeholders": _("Stakeholders"),
    "governance": _("Governance"),
}


class ProjectForm(AccessibleFormMixin, forms.ModelForm):
    """A project's description, qualification, origin and publication."""

    class Meta:
        model = Project
        fields = [
            "title", "acronym", "summary", "description", "phase",
            "planned_start", "planned_end", "actual_start", "actual_end",
            "themes", "sdgs", "sdg_targets", "dac_sectors", "countries",
            "partnership", "origin_group", "origin_event", "origin_note",
            "is_published", "partners_may_edit", "coordinator", "currency",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "planned_start": DateInput,
            "planned_end": DateInput,
            "actual_start": DateInput,
            "actual_end": DateInput,
            "themes": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "sdg_targets": forms.SelectMultiple(attrs={"size": 8}),
            "dac_sectors": forms.SelectMultiple(attrs={"size": 8}),
            "countries": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.active()
        self.fields["sdgs"].queryset = SDG.objects.all()
        self.fields["sdg_targets"].queryset = SDGTarget.objects.select_related("goal")
        self.fields["dac_sectors"].queryset = DacSector.objects.filter(
            Q(is_active=True) | Q(pk__in=self._current("dac_sectors"))
        )
        self.fields["countries"].queryset = Country.objects.all()
        self.fields["partnership"].queryset = Partnership.objects.select_related(
            "french_authority", "foreign_authority"
        )
        self.fields["origin_group"].queryset = Group.objects.order_by("name")
        self.fields["origin_event"].queryset = Event.objects.order_by("title")
        self.fields["coordinator"].queryset = (
            self.fields["coordinator"]
            .queryset.model.objects.filter(
                is_active=True, role__in=[Role.STAFF, Role.ADMINISTRATOR]
            )
            .order_by("full_name")
        )
        self.fields["currency"].widget.attrs["size"] = 3
        if user is None or user.role not in (Role.STAFF, Role.ADMINISTRATOR):
            del self.fields["partners_may_edit"]
            # Editors ask for publication in their organisation's space, which staff moderate.
            del self.fields["is_published"]
        if self.instance.pk:
            # Changing phase goes through the checklist (see the view).
            self.fields["phase"].help_text = _(
                "Moving on to the next phase checks what the current phase still lacks."
            )
        current = self.instance.field_visibility or {}
        for field, default in PROJECT_VISIBILITY_DEFAULTS.items():
            self.fields[f"visibility_{field}"] = forms.ChoiceField(
                label=VISIBILITY_LABELS[field],
                choices=Visibility.choices,
                initial=current.get(field, default),
            )

    def _current(self, field: str) -> list[int]:
        if not self.instance.pk:
            return []
        return list(getattr(self.instance, field).values_list("pk", flat=True))

    @property
    def visibility_fields(self):
        return [self[f"visibility_{field}"] for field in PROJECT_VISIBILITY_DEFAULTS]

    def clean_currency(self):
        currency = (self.cleaned_data.get("currency") or "EUR").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValidationError(_("Give the three-letter code of the currency, such as EUR."))
        return currency

    def clean(self):
        cleaned = super().clean()
        visibility = {}
        for field, default in PROJECT_VISIBILITY_DEFAULTS.items():
            chosen = cleaned.get(f"visibility_{field}") or default
            if chosen != default:
                visibility[field] = chosen
        self.instance.field_visibility = visibility
        return cleaned


class PlaceForm(AccessibleFormMixin, forms.ModelForm):
    commune_query = forms.CharField(
        label=_("Commune in France (optional)"),
        max_length=120,
        required=False,
        help_text=_("For example “86100 Châtellerault”."),
    )

    class Meta:
        model = ProjectPlace
        fields = ["name", "country", "latitude", "longitude", "budget_share"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.all()
        if self.instance.commune_id and not self.is_bound:
            self.initial["commune_query"] = str(self.instance.commune)

    def clean_commune_query(self):
        value = (self.cleaned_data.get("commune_query") or "").strip()
        if not value:
            self.instance.commune = None
            return value
        postal_code, name = parse_commune_query(value)
        commune = commune_find(postal_code=postal_code, name=name)
        if commune is None:
            raise ValidationError(
                _("No French commune found for “%(value)s”: check the postal code and the name.")
                % {"value": value}
            )
        self.instance.commune = commune
        return value


class BasePlaceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        shares = [
            form.cleaned_data.get("budget_share")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        check_budget_shares(shares)


PlaceFormSet = forms.inlineformset_factory(
    Project, ProjectPlace, form=PlaceForm, formset=BasePlaceFormSet, extra=1, can_delete=True
)


class PhaseConfirmForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    confirm = forms.BooleanField(
        label=_("Move on all the same"), required=False, widget=forms.HiddenInput
    )


class ChecklistItemForm(AccessibleFormMixin, forms.ModelForm):
    """Who does an entry of the checklist, and by when."""

    class Meta:
        model = ChecklistItem
        fields = ["responsible", "responsible_organization", "due_on", "note"]
        widgets = {"due_on": DateInput, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        organization_ids = project.partners.values("organization")
        self.fields["responsible_organization"].queryset = Organization.objects.filter(
            pk__in=organization_ids
        ).order_by("name")
        self.fields["responsible"].queryset = (
            Person.objects.filter(
                Q(affiliations__organization__in=organization_ids)
                | Q(pk=self.instance.responsible_id or 0)
            )
            .distinct()
            .order_by("last_name", "first_name")
        )


class ChecklistAddForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("New entry"), max_length=200)


class PartnerAddForm(AccessibleFormMixin, forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(), widget=forms.HiddenInput
    )
    role = forms.ChoiceField(label=_("Role"), choices=ProjectPartner.Role.choices)
    iati_role = forms.ChoiceField(
        label=_("IATI role"),
        choices=[("", _("— From the role —")), *ProjectPartner.IatiRole.choices],
        required=False,
    )
    contribution = forms.CharField(label=_("Contribution"), max_length=300, required=False)


class PartnerForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectPartner
        fields = ["role", "iati_role", "contribution", "contacts"]
        widgets = {"contacts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = (
            Person.objects.filter(
                Q(affiliations__organization=self.instance.organization_id)
                | Q(pk__in=self.instance.contacts.values("pk"))
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["contacts"].help_text = _("The people of the register who work for it.")


class ForeignPartnerForm(AccessibleFormMixin, forms.Form):
    """A partner abroad, described lightly, without the referencing flow."""

    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ModelChoiceField(
        label=_("Kind of organisation"), queryset=OrganizationKind.objects.none()
    )
    seat_country = forms.ModelChoiceField(
        label=_("Country of the seat"), queryset=Country.objects.none()
    )
    seat_locality = forms.CharField(label=_("Town"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False,
        min_value=-90, max_value=90,
    )  # fmt: skip
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False,
        min_value=-180, max_value=180,
    )  # fmt: skip
    role = forms.ChoiceField(label=_("Role"), choices=ProjectPartner.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = OrganizationKind.objects.active()
        self.fields["seat_country"].queryset = Country.objects.exclude(iso2="FR")

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            raise ValidationError(_("Give both the latitude and the longitude, or neither."))
        return cleaned


class StakeholderForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = [
            "organization", "person", "role", "influence", "interest", "stance", "note",
        ]  # fmt: skip
        widgets = {
            "influence": forms.Select(choices=[(n, n) for n in range(1, 6)]),
            "interest": forms.Select(choices=[(n, n) for n in range(1, 6)]),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, project: Project, extra_organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        partner_ids = list(project.partners.values_list("organization", flat=True))
        chosen = [self.instance.organization_id or 0]
        if self.is_bound:
            posted = self.data.get(self.add_prefix("organization"), "")
            chosen.append(int(posted) if str(posted).isdigit() else 0)
        self.fields["organization"].queryset = Organization.objects.filter(
            Q(pk__in=partner_ids) | Q(pk__in=[o.pk for o in extra_organizations]) | Q(pk__in=chosen)
        ).order_by("name")
        self.fields["organization"].help_text = _(
            "The project's partners and the organisations found by the search above."
        )
        person_chosen = [self.instance.person_id or 0]
        if self.is_bound:
            posted = self.data.get(self.add_prefix("person"), "")
            person_chosen.append(int(posted) if str(posted).isdigit() else 0)
        self.fields["person"].queryset = (
            Person.objects.filter(
                Q(affiliations__organization__in=partner_ids) | Q(pk__in=person_chosen)
            )
            .distinct()
            .order_by("last_name", "first_name")
        )


class GovernanceBodyForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = GovernanceBody
        fields = ["kind", "name", "remit"]
        widgets = {"remit": forms.Textarea(attrs={"rows": 2})}


class BodyMemberForm(AccessibleFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    organization = forms.ModelChoiceField(
        label=_("Representing"), queryset=Organization.objects.none(), required=False
    )
    role = forms.CharField(label=_("Role"), max_length=200, required=False)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        partner_ids = project.partners.values("organization")
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=partner_ids
        ).order_by("name")
        self.fields["person"].queryset = (
            Person.objects.filter(affiliations__organization__in=partner_ids)
            .distinct()
            .order_by("last_name", "first_name")
        )


class MeetingLinkForm(forms.Form):
    event = forms.ModelChoiceField(
        label=_("Existing event"), queryset=Event.objects.none(), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(kind=Event.Kind.MEETING).order_by(
            "-created_at"
        )


class MeetingCreateForm(AccessibleFormMixin, forms.Form):
    title = forms.CharField(label=_("Title of the meeting"), max_length=255)
    starts_at = forms.DateTimeField(
        label=_("Start"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("End"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("starts_at")
            and cleaned.get("ends_at")
            and cleaned["ends_at"] <= cleaned["starts_at"]
        ):
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return cleaned


class DecisionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["date", "body", "meeting", "text", "follow_up"]
        widgets = {"date": DateInput, "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = project.bodies.all()
        self.fields["meeting"].queryset = Event.objects.filter(
            governance_bodies__project=project
        ).distinct()


class ObjectiveForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["level", "title"]

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, instance=Objective(project=project), **kwargs)


class ExpectedResultForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ExpectedResult
        fields = ["objective", "title"]
        labels = {"objective": _("Objective")}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = project.objectives.all()


class IndicatorForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "result", "name", "unit", "baseline", "baseline_date", "target", "target_date",
            "source",
        ]  # fmt: skip
        widgets = {"baseline_date": DateInput, "target_date": DateInput}
        labels = {"result": _("Expected result")}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = ExpectedResult.objects.filter(objective__project=project)


class IndicatorValueForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = IndicatorValue
        fields = ["indicator", "period_start", "period_end", "value", "comment"]
        widgets = {"period_start": DateInput, "period_end": DateInput}
        labels = {"indicator": _("Indicator")}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            result__objective__project=project
        )

    def save(self, commit=True):
        # One value per period is checked by the service, with a message the user can act on.
        return indicator_value_record(value=self.instance)


class DocumentForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = ProjectDocument
        fields = ["title", "category", "file", "is_public"]


class UpdateForm(AccessibleFormMixin, forms.ModelForm):
    photo = forms.ImageField(label=_("Photo"), required=False)
    caption = forms.CharField(label=_("Caption"), max_length=255, required=False)
    credit = forms.CharField(label=_("Credit"), max_length=200, required=False)

    class Meta:
        model = ProjectUpdate
        fields = ["date", "title", "text", "is_public"]
        widgets = {"date": DateInput, "text": forms.Textarea(attrs={"rows": 4})}

    # The photo checked by content, resized and stripped of its metadata (core.images).
    cleaned_photo = None

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            self.cleaned_photo = clean_image(upload)
        return upload
