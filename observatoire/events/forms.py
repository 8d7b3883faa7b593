"""The public registration form: the person, their organisation, their zone and consents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from observatoire.core.antispam import form_stamp, spam_verdict
from observatoire.core.text import fold
from observatoire.organizations.models import Consent, Organization
from observatoire.referencing.forms import CONSENT_WORDING, AccessibleFormMixin
from observatoire.referentials.models import Country, OrganizationKind

from .models import PARIS
from .services import RegistrationRequest
from .zones import is_known_zone, zone_choices

CONSENTS = (Consent.Purpose.NEWSLETTER, Consent.Purpose.MAILINGS)


def organization_from_register(name: str, chosen_id: str = "") -> Organization | None:
    """The listed organisation the visitor chose in the suggestions, or named exactly."""
    listed = Organization.objects.qualified()
    if chosen_id.isdigit():
        chosen = listed.filter(pk=int(chosen_id)).first()
        if chosen is not None and fold(chosen.name) == fold(name):
            return chosen
    folded = fold(name)
    candidates = listed.filter(name__iexact=name) | listed.filter(acronym__iexact=name)
    for organization in candidates[:5]:
        if folded in (fold(organization.name), fold(organization.acronym)):
            return organization
    return None


class RegistrationForm(AccessibleFormMixin, forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send the confirmation there, with the link to cancel."),
        error_messages={
            "invalid": _("Enter a valid e-mail address, for example nom@exemple.org."),
        },
    )
    organization_name = forms.CharField(
        label=_("Your organisation"),
        max_length=255,
        required=False,
        help_text=_(
            "Type its name and choose it in the list if it is listed; otherwise type its full "
            "name: we will ask to list it. Leave empty if you come in a personal capacity."
        ),
    )
    organization_id = forms.CharField(widget=forms.HiddenInput, required=False)
    organization_kind = forms.ModelChoiceField(
        label=_("Kind of organisation"),
        queryset=OrganizationKind.objects.none(),
        required=False,
        empty_label=_("— Choose —"),
        help_text=_("Only needed when your organisation is not in the list."),
    )
    country = forms.ModelChoiceField(
        label=_("Country of residence"),
        queryset=Country.objects.none(),
        required=False,
        empty_label=_("— Choose —"),
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=(),
        initial=PARIS,
        help_text=_("The times of the event are also given in this zone."),
    )
    consent_newsletter = forms.BooleanField(
        label=CONSENT_WORDING[Consent.Purpose.NEWSLETTER], required=False
    )
    consent_mailings = forms.BooleanField(
        label=CONSENT_WORDING[Consent.Purpose.MAILINGS], required=False
    )
    invitation = forms.CharField(widget=forms.HiddenInput, required=False)
    # Spam protection, as on the referencing form: a hidden field and the time it was shown.
    nickname = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization_kind"].queryset = OrganizationKind.objects.active()
        self.fields["country"].queryset = Country.objects.all()
        self.fields["time_zone"].choices = zone_choices()
        self.fields["nickname"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organization_name"].widget.attrs.update(
            {"autocomplete": "off", "list": "organization-suggestions"}
        )
        if not self.is_bound:
            self.initial.setdefault("started", form_stamp())

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_organization_name(self):
        return " ".join(self.cleaned_data["organization_name"].split())

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"]
        if not is_known_zone(value):
            raise forms.ValidationError(_("Choose a time zone in the list."), code="invalid")
        return value

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("organization_name") or ""
        cleaned["organization"] = None
        if name:
            cleaned["organization"] = organization_from_register(
                name, self.data.get("organization_id", "")
            )
            if cleaned["organization"] is None and not cleaned.get("organization_kind"):
                self.add_error(
                    "organization_kind",
                    _(
                        "“%(name)s” is not in the register yet: choose its kind so that we can "
                        "ask to list it, or choose your organisation in the suggestions."
                    )
                    % {"name": name},
                )
        return cleaned

    def registration_request(self) -> RegistrationRequest:
        data = self.cleaned_data
        organization = data.get("organization")
        return RegistrationRequest(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organization=organization,
            organization_name=organization.name if organization else data["organization_name"],
            organization_kind=data.get("organization_kind"),
            country=data.get("country"),
            time_zone=data.get("time_zone") or PARIS,
            consents=[
                {"purpose": str(purpose), "wording": str(CONSENT_WORDING[purpose])}
                for purpose in CONSENTS
                if data.get(f"consent_{purpose}")
            ],
            invitation=data.get("invitation", ""),
        )

    def spam_verdict(self) -> str:
        return spam_verdict(self.data)
