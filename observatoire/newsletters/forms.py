"""The public subscription form and the staff forms of the mailing lists."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from observatoire.core.antispam import form_stamp, spam_verdict
from observatoire.referencing.forms import AccessibleFormMixin

from .models import MailingList
from .services import SubscriptionRequest

ADDRESS_ERRORS = {"invalid": _("Enter a valid e-mail address, for example nom@exemple.org.")}


def consent_wording() -> str:
    """The sentence the public form asks to tick, stored word for word with the subscription."""
    return str(
        _(
            "I agree that %(network)s sends me the lists ticked above at this address and keeps "
            "it for that purpose only. I can unsubscribe at any time through the link in each "
            "message."
        )
        % {"network": settings.NETWORK_NAME}
    )


class SubscribeForm(AccessibleFormMixin, forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label=_("What you would like to receive"),
        queryset=MailingList.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one list.")},
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link there: your subscription starts when you open it."),
        error_messages=ADDRESS_ERRORS,
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    organization_name = forms.CharField(
        label=_("Your organisation"), max_length=200, required=False
    )
    consent = forms.BooleanField(
        error_messages={"required": _("Tick this box to subscribe: we need your agreement.")}
    )
    tracking = forms.BooleanField(
        label=_(
            "I accept that the opening of the letters and the clicks on their links are "
            "counted, to improve them (optional)."
        ),
        required=False,
    )
    nickname = forms.CharField(label=_("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = MailingList.objects.public()
        self.fields["consent"].label = consent_wording()
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["organization_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["nickname"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        if not self.is_bound:
            self.initial.setdefault("started", form_stamp())

    def spam_verdict(self) -> str:
        return spam_verdict(self.data)

    def subscription_request(self) -> SubscriptionRequest:
        data = self.cleaned_data
        return SubscriptionRequest(
            address=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            organization_name=data["organization_name"],
            wording=self.fields["consent"].label,
            tracking_allowed=bool(data.get("tracking")),
            lists=list(data["lists"]),
        )
