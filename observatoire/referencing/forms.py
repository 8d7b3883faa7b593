"""The public referencing form: the organisation, its contacts and their consents."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from observatoire.core.antispam import form_stamp, spam_verdict
from observatoire.core.validators import (
    normalize_identifier,
    validate_phone,
    validate_rna,
    validate_siren,
    validate_siret,
)
from observatoire.organizations.models import Consent, Organization
from observatoire.referentials.models import (
    SDG,
    ActionKind,
    Commune,
    Country,
    Need,
    OrganizationKind,
    Theme,
)
from observatoire.referentials.selectors import commune_find, communes_search

from .models import ReferencingContact

# A form left open longer than this is sent again with a fresh stamp.


def tag_field(label, model) -> forms.ModelMultipleChoiceField:
    """A list of checkboxes (usable with the keyboard); its choices are set in __init__."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class AccessibleFormMixin:
    """Ties help texts and errors to their fields (aria-describedby, aria-invalid)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field = self.fields[name]
            described_by = [f"{self[name].auto_id}_error"]
            if field.help_text:
                described_by.append(f"{self[name].auto_id}_help")
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = " ".join(described_by)


def _identifier_field(label, max_length, help_text):
    # Longer than the stored value: people type spaces and dots that the cleaning removes.
    return forms.CharField(
        label=label, max_length=max_length + 10, required=False, help_text=help_text
    )


_POSTAL_CODE = re.compile(r"^\d{4,5}$")


def parse_commune_query(value: str) -> tuple[str, str]:
    """Split '33000 Bordeaux' or 'Bordeaux (33000)' into a postal code and a name."""
    words = re.sub(r"[()]", " ", value or "").split()
    postal_code = next((w for w in words if _POSTAL_CODE.match(w)), "")
    name = " ".join(w for w in words if w != postal_code)
    return postal_code, name


def commune_label(commune: Commune) -> str:
    return str(commune)


class ReferencingForm(AccessibleFormMixin, forms.Form):
    """The organisation as its representative declares it."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=255)
    acronym = forms.CharField(label=_("Acronym"), max_length=50, required=False)
    kind = forms.ModelChoiceField(
        label=_("Kind of organisation"),
        queryset=OrganizationKind.objects.none(),
        empty_label=_("— Choose —"),
    )
    legal_form = forms.ChoiceField(
        label=_("Legal form"),
        choices=[("", _("— Choose —")), *Organization.LegalForm.choices],
        required=False,
    )
    siren = _identifier_field(_("SIREN"), 9, _("9 digits, for companies and public bodies."))
    siret = _identifier_field(_("SIRET"), 14, _("14 digits: the SIREN and the establishment."))
    rna = _identifier_field(_("RNA number"), 10, _("For associations: W followed by 9 characters."))
    description = forms.CharField(
        label=_("What your organisation does"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        required=False,
    )
    website = forms.URLField(label=_("Website"), max_length=300, required=False)
    public_email = forms.EmailField(label=_("Public e-mail address"), required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, validators=[validate_phone]
    )
    address_line1 = forms.CharField(label=_("Address"), max_length=255, required=False)
    address_line2 = forms.CharField(label=_("Address (continued)"), max_length=255, required=False)
    commune_query = forms.CharField(
        label=_("Postal code and town"),
        max_length=120,
        help_text=_("For example “33000 Bordeaux” or “Bordeaux”."),
    )
    action_kinds = tag_field(_("Kinds of action"), ActionKind)
    themes = tag_field(_("Themes"), Theme)
    sdgs = tag_field(_("Sustainable Development Goals (SDGs)"), SDG)
    countries = tag_field(_("Countries of intervention"), Country)
    needs = tag_field(_("Your needs"), Need)
    requester_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_(
            "We send you a link to confirm it, then a link to follow and complete your request."
        ),
    )
    # Spam protection: a field people never see, and the time the form was shown.
    nickname = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    TAG_FIELDS = ["action_kinds", "themes", "sdgs", "countries", "needs"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = OrganizationKind.objects.active()
        self.fields["action_kinds"].queryset = ActionKind.objects.active()
        self.fields["themes"].queryset = Theme.objects.active()
        self.fields["sdgs"].queryset = SDG.objects.all()
        self.fields["countries"].queryset = Country.objects.all()
        self.fields["needs"].queryset = Need.objects.active()
        self.fields["nickname"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["name"].widget.attrs["autocomplete"] = "organization"
        self.fields["requester_email"].widget.attrs["autocomplete"] = "email"
        self.fields["commune_query"].widget.attrs["autocomplete"] = "off"
        if not self.is_bound:
            self.initial.setdefault("started", form_stamp())

    def _clean_identifier(self, name, validator):
        value = normalize_identifier(self.cleaned_data.get(name, ""))
        if value:
            validator(value)
        return value

    def clean_siren(self):
        return self._clean_identifier("siren", validate_siren)

    def clean_siret(self):
        return self._clean_identifier("siret", validate_siret)

    def clean_rna(self):
        return self._clean_identifier("rna", validate_rna)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_commune_query(self):
        value = self.cleaned_data["commune_query"].strip()
        postal_code, name = parse_commune_query(value)
        commune = commune_find(postal_code=postal_code, name=name)
        if commune is None:
            suggestions = communes_search(term=value.replace("(", " ").replace(")", " "), limit=6)
            if suggestions:
                message = _(
                    "We could not decide which town “%(value)s” is. Type the postal code and "
                    "the name, or one of: %(choices)s."
                ) % {"value": value, "choices": ", ".join(commune_label(c) for c in suggestions)}
            else:
                message = _(
                    "We find no French town for “%(value)s”. Check the spelling or type the "
                    "postal code and the name, e.g. “33000 Bordeaux”."
                ) % {"value": value}
            raise forms.ValidationError(message, code="unknown_commune")
        self.cleaned_data["commune"] = commune
        self.cleaned_data["postal_code"] = postal_code.zfill(5) if postal_code else ""
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("siret") and not cleaned.get("siren"):
            cleaned["siren"] = cleaned["siret"][:9]
        elif cleaned.get("siret") and cleaned["siret"][:9] != cleaned.get("siren"):
            self.add_error("siret", _("This SIRET does not start with the SIREN given above."))
        return cleaned

    def organization_data(self) -> dict:
        """The cleaned values, in the shape the services take."""
        data = {
            name: self.cleaned_data.get(name, "")
            for name in (
                "name", "acronym", "kind", "legal_form", "siren", "siret", "rna", "description",
                "website", "public_email", "phone", "address_line1", "address_line2",
                "postal_code", "commune",
            )
        }  # fmt: skip
        for name in self.TAG_FIELDS:
            data[name] = list(self.cleaned_data.get(name) or [])
        return data

    def spam_verdict(self) -> str:
        return spam_verdict(self.data)


CONSENT_WORDING = {
    Consent.Purpose.DIRECTORY: _(
        "I agree that my name, function and professional contact details appear on my "
        "organisation's page in the network's public directory."
    ),
    Consent.Purpose.NEWSLETTER: _(
        "I wish to receive the network's newsletter (about one a month). I can unsubscribe "
        "at any time."
    ),
    Consent.Purpose.MAILINGS: _(
        "I agree to receive e-mails from the network targeted to my organisation's activities "
        "(calls for projects, trainings, events)."
    ),
}


class ContactForm(AccessibleFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    job_title = forms.CharField(label=_("Function"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail address"))
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, validators=[validate_phone]
    )
    consent_directory = forms.BooleanField(
        label=CONSENT_WORDING[Consent.Purpose.DIRECTORY], required=False
    )
    consent_newsletter = forms.BooleanField(
        label=CONSENT_WORDING[Consent.Purpose.NEWSLETTER], required=False
    )
    consent_mailings = forms.BooleanField(
        label=CONSENT_WORDING[Consent.Purpose.MAILINGS], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def contact_data(self) -> dict:
        """The contact and the consents with the exact wording shown."""
        data = {
            name: self.cleaned_data.get(name, "")
            for name in ("first_name", "last_name", "job_title", "email", "phone")
        }
        data["first_name"] = data["first_name"].strip()
        data["last_name"] = data["last_name"].strip()
        data["consents"] = [
            {
                "purpose": str(purpose),
                "granted": bool(self.cleaned_data.get(f"consent_{purpose}")),
                "wording": str(wording),
            }
            for purpose, wording in CONSENT_WORDING.items()
        ]
        return data


class BaseContactFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.contacts_data():
            raise forms.ValidationError(_("Give at least one contact."), code="no_contact")
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            email = (form.cleaned_data.get("email") or "").lower()
            if email and email in seen:
                form.add_error("email", _("This address is already given for another contact."))
            seen.add(email)

    def contacts_data(self) -> list[dict]:
        return [
            form.contact_data()
            for form in self.forms
            # A blank extra form is left out: its cleaned_data is empty.
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form)
        ]


MAX_CONTACTS = 5
ContactFormSet = forms.formset_factory(
    ContactForm,
    formset=BaseContactFormSet,
    extra=0,
    min_num=1,
    # The first contact's fields are required: a "submit at least one form" would repeat them.
    validate_min=False,
    max_num=MAX_CONTACTS,
    validate_max=True,
    can_delete=True,
)


def contact_initial(contact: ReferencingContact) -> dict:
    granted = set(contact.granted_purposes)
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "job_title": contact.job_title,
        "email": contact.email,
        "phone": contact.phone,
        **{f"consent_{purpose}": purpose in granted for purpose in CONSENT_WORDING},
    }


def request_initial(referencing_request) -> dict:
    initial = {
        name: getattr(referencing_request, name)
        for name in (
            "name", "acronym", "kind", "legal_form", "siren", "siret", "rna", "description",
            "website", "public_email", "phone", "address_line1", "address_line2",
            "requester_email",
        )
    }  # fmt: skip
    commune = referencing_request.commune
    if commune is not None:
        code = referencing_request.postal_code or (commune.postal_code_list or [""])[0]
        initial["commune_query"] = f"{commune.name} ({code})" if code else commune.name
    for name in ReferencingForm.TAG_FIELDS:
        initial[name] = list(getattr(referencing_request, name).all())
    return initial
