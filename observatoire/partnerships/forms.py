"""Forms of the partnership pages in the workspace; the services do the checking and saving."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from observatoire.accounts.models import BACK_OFFICE_ROLES
from observatoire.organizations.models import Organization, Person
from observatoire.referentials.models import Country

from .models import Agreement, Mission, Partnership, PartnershipContact

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _check_size(upload):
    if upload and getattr(upload, "size", 0) > MAX_DOCUMENT_BYTES:
        raise forms.ValidationError(_("The file is larger than 10 MB."))
    return upload


def french_authorities():
    return (
        Organization.objects.not_archived()
        .filter(kind__family="local_authority", seat_country__isnull=True)
        .exclude(kind__authority_level="twinning_committee")  # an association, not the city
        .order_by("name")
    )


def foreign_authorities():
    return Organization.objects.not_archived().filter(seat_country__isnull=False).order_by("name")


def people_of(partnership: Partnership):
    """The people of the register affiliated with either authority: the usual contacts."""
    return (
        Person.objects.filter(
            affiliations__organization__in=[
                partnership.french_authority_id,
                partnership.foreign_authority_id,
            ],
            erased_at__isnull=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class PartnershipForm(forms.ModelForm):
    """Create or edit a partnership; a new partner authority may be described in a few fields."""

    new_foreign_name = forms.CharField(
        label=gettext_lazy("Name of the partner authority"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Only if the partner is not in the list, e.g. « Commune de Kaya »."),
    )
    new_foreign_country = forms.ModelChoiceField(
        label=gettext_lazy("Country"),
        queryset=Country.objects.exclude(iso2="FR"),
        required=False,
    )
    new_foreign_town = forms.CharField(label=gettext_lazy("Town"), max_length=200, required=False)
    new_foreign_latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"), max_digits=9, decimal_places=6, required=False,
        min_value=-90, max_value=90,
    )  # fmt: skip
    new_foreign_longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"), max_digits=9, decimal_places=6, required=False,
        min_value=-180, max_value=180,
    )  # fmt: skip

    class Meta:
        model = Partnership
        fields = [
            "french_authority",
            "foreign_authority",
            "kind",
            "status",
            "since_year",
            "ended_year",
            "description",
            "themes",
            "officer",
            "is_public",
        ]
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, own_authority: Organization | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["french_authority"].queryset = french_authorities()
        self.fields["foreign_authority"].queryset = foreign_authorities()
        self.fields["foreign_authority"].required = False
        User = get_user_model()
        officers = Q(role__in=BACK_OFFICE_ROLES, is_active=True)
        if own_authority is not None:
            officers |= Q(organization=own_authority.pk, is_active=True)
        if self.instance.pk:
            officers |= Q(organization=self.instance.french_authority_id, is_active=True)
        self.fields["officer"].queryset = User.objects.filter(officers).order_by("full_name")
        if own_authority is not None and not self.instance.pk:
            # An officer creates the partnerships of their own authority.
            self.fields["french_authority"].queryset = french_authorities().filter(
                pk=own_authority.pk
            )
            self.fields["french_authority"].initial = own_authority.pk
        if self.instance.pk:
            for name in ("french_authority", "foreign_authority"):
                self.fields[name].disabled = True
            for name in [n for n in self.fields if n.startswith("new_foreign_")]:
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        new_name = (data.get("new_foreign_name") or "").strip()
        if data.get("foreign_authority") and new_name:
            self.add_error(
                "new_foreign_name",
                _("Choose a partner in the list or describe a new one, not both."),
            )
        elif not data.get("foreign_authority") and not new_name:
            self.add_error(
                "foreign_authority", _("Choose the partner authority or describe a new one.")
            )
        elif new_name and not data.get("new_foreign_country"):
            self.add_error("new_foreign_country", _("Give the country of the new partner."))
        return data

    def _post_clean(self):
        # A partner described in the form does not exist yet: the model is checked on saving.
        if not self.instance.pk and not self.cleaned_data.get("foreign_authority"):
            return
        super()._post_clean()


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "status", "signed_on", "starts_on", "ends_on", "renews", "summary"]
        widgets = {"signed_on": DATE_INPUT, "starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    document_upload = forms.FileField(
        label=gettext_lazy("Document (signed agreement)"),
        required=False,
        help_text=gettext_lazy("PDF or scan, 10 MB at most."),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        renewable = partnership.agreements.all()
        if self.instance.pk:
            renewable = renewable.exclude(pk=self.instance.pk)
        self.fields["renews"].queryset = renewable

    def clean_document_upload(self):
        return _check_size(self.cleaned_data.get("document_upload"))


class ContactForm(forms.Form):
    side = forms.ChoiceField(label=gettext_lazy("Side"), choices=PartnershipContact.Side.choices)
    person = forms.ModelChoiceField(
        label=gettext_lazy("Person of the register"), queryset=Person.objects.none(), required=False
    )
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=100, required=False)
    job_title = forms.CharField(label=gettext_lazy("Function"), max_length=200, required=False)
    role = forms.CharField(
        label=gettext_lazy("Role in the partnership"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("E.g. « élue déléguée à la coopération », « chef de projet »."),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_of(partnership)

    def clean(self):
        data = super().clean()
        has_name = (data.get("first_name") or "").strip() and (data.get("last_name") or "").strip()
        if not data.get("person") and not has_name:
            raise forms.ValidationError(_("Choose a person or give a first and a last name."))
        return data


class MissionForm(forms.ModelForm):
    class Meta:
        model = Mission
        fields = [
            "title",
            "direction",
            "status",
            "starts_on",
            "ends_on",
            "destination",
            "project",
            "purpose",
            "programme",
            "cost",
            "outcomes",
            "report",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "programme": forms.Textarea(attrs={"rows": 6}),
            "outcomes": forms.Textarea(attrs={"rows": 4}),
            "report": forms.Textarea(attrs={"rows": 6}),
        }

    report_upload = forms.FileField(
        label=gettext_lazy("Mission report (document)"),
        required=False,
        help_text=gettext_lazy("10 MB at most."),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = partnership.projects.all()
        self.fields["cost"].min_value = 0
        self.fields["cost"].validators.append(_non_negative)

    def clean_report_upload(self):
        return _check_size(self.cleaned_data.get("report_upload"))


def _non_negative(value):
    if value is not None and value < 0:
        raise forms.ValidationError(_("A cost cannot be negative."))


class ParticipantForm(forms.Form):
    person = forms.ModelChoiceField(
        label=gettext_lazy("Person of the register"), queryset=Person.objects.none(), required=False
    )
    name = forms.CharField(
        label=gettext_lazy("or name"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "For someone not in the register: an elected official, an interpreter."
        ),
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organization.objects.none(), required=False
    )
    role = forms.CharField(
        label=gettext_lazy("Role in the delegation"), max_length=200, required=False
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_of(partnership)
        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[partnership.french_authority_id, partnership.foreign_authority_id]
        )
        # The fields sit in table cells under a header row: each needs its own accessible name.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("name") or "").strip():
            if data.get("organization") or (data.get("role") or "").strip():
                raise forms.ValidationError(_("Choose a person or write a name."))
        return data

    def entry(self) -> dict | None:
        data = self.cleaned_data
        if not data or (not data.get("person") and not (data.get("name") or "").strip()):
            return None
        return {
            "person": data.get("person"),
            "name": data.get("name") or "",
            "organization": data.get("organization"),
            "role": data.get("role") or "",
        }


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=3, max_num=60, validate_max=True)
