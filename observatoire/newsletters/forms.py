"""The public subscription form and the staff forms of the mailing lists."""

import csv
import datetime
import io
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.utils import timezone
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
            offered = list(self.fields["lists"].queryset[:2])
            if len(offered) == 1:
                self.initial.setdefault("lists", [offered[0].pk])

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


# --- Staff forms ------------------------------------------------------------------------------


class MailingListForm(AccessibleFormMixin, forms.ModelForm):
    """A list; for a dynamic one, the register's filters as extra fields (their URL names)."""

    class Meta:
        model = MailingList
        fields = ["name", "description", "purpose", "kind", "is_public", "reach"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from observatoire.organizations.selectors import ORGANIZATION_FILTERS

        from .selectors import list_params

        self.filter_names = []
        initial = list_params(self.instance) if self.instance.pk else {}
        for register_filter in ORGANIZATION_FILTERS:
            name = f"filter_{register_filter.parameter}"
            self.fields[name] = forms.ChoiceField(
                label=str(register_filter.label).capitalize(),
                choices=[("", _("— Any —"))] + list(register_filter.choices()),
                required=False,
                initial=initial.get(register_filter.parameter, ""),
            )
            self.fields[name].widget.attrs["data-parameter"] = register_filter.parameter
            self.filter_names.append(name)
        self.fields["filter_q"] = forms.CharField(
            label=_("Words in the record"),
            required=False,
            max_length=200,
            initial=initial.get("q", ""),
        )
        self.fields["filter_q"].widget.attrs["data-parameter"] = "q"
        self.filter_names.append("filter_q")

    def filter_fields(self):
        return [self[name] for name in self.filter_names]

    def main_fields(self):
        return [self[name] for name in self._meta.fields]

    def filter_query(self) -> str:
        params = {}
        for name in self.filter_names:
            value = self.cleaned_data.get(name)
            if value:
                params[self.fields[name].widget.attrs["data-parameter"]] = value
        return urlencode(params)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == MailingList.Kind.DYNAMIC:
            if cleaned.get("is_public"):
                self.add_error(
                    "is_public",
                    _("A dynamic list reaches the register's contacts: it cannot be public."),
                )
            if not any(cleaned.get(name) for name in self.filter_names):
                self.add_error(
                    "kind",
                    _("Choose at least one filter, or the list would reach the whole register."),
                )
        return cleaned


class ConsentFieldsMixin(forms.Form):
    wording = forms.CharField(
        label=_("Wording consented to"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("What the people agreed to, word for word (paper form, e-mail, event…)."),
        error_messages={"required": _("Give the wording the people agreed to.")},
    )
    consented_on = forms.DateField(
        label=_("Date of the consent"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Give the date the consent was given.")},
    )

    def clean_consented_on(self):
        value = self.cleaned_data["consented_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of the consent cannot be in the future."))
        return value

    def consented_at(self):
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["consented_on"], datetime.time(12))
        )


class SubscriberForm(AccessibleFormMixin, ConsentFieldsMixin):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, error_messages=ADDRESS_ERRORS
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    organization_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)

    field_order = [
        "email",
        "first_name",
        "last_name",
        "organization_name",
        "wording",
        "consented_on",
    ]


class ImportForm(AccessibleFormMixin, ConsentFieldsMixin):
    text = forms.CharField(
        label=_("Paste the rows"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "One person per line: e-mail address, first name, last name, organisation, separated "
            "by commas or semicolons. A first line of column names is skipped."
        ),
    )
    file = forms.FileField(label=_("Or a CSV file"), required=False)

    field_order = ["text", "file", "wording", "consented_on"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > 5 * 1024 * 1024:
                self.add_error("file", _("The file is larger than 5 MB."))
                return cleaned
            raw = upload.read()
            try:
                cleaned["text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                cleaned["text"] = raw.decode("cp1252", "replace")
        if not (cleaned.get("text") or "").strip() and "file" not in self.errors:
            self.add_error("text", _("Paste some rows or choose a file."))
        return cleaned


def parse_rows(text: str) -> list[tuple[int, list[str]]]:
    """(line number, cells) of a pasted or uploaded CSV, `;` or `,` separated."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    sample = lines[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") and ";" in sample else ","
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(lines), delimiter=delimiter), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if number == 1 and "@" not in cells[0]:
            continue  # a line of column names
        rows.append((number, cells))
    return rows


class AddressForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, error_messages=ADDRESS_ERRORS
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[
            ("unsubscribed", _("Asked to receive nothing more")),
            ("complaint", _("Reported as spam")),
            ("invalid", _("Invalid address")),
            ("hard_bounce", _("Address does not exist (hard bounce)")),
        ],
    )
