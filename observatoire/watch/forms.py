"""Staff forms of the watch: an item (entry and qualification in one), a feed, a merge."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from observatoire.referencing.forms import AccessibleFormMixin
from observatoire.referentials.models import (
    SDG,
    Country,
    Departement,
    Need,
    OrganizationKind,
    Theme,
)

from .models import WatchFeed, WatchItem, WatchTag
from .services import ELIGIBILITY_FIELDS

# The worker looks for due feeds every 15 minutes: a shorter interval would not be kept.
MIN_INTERVAL = datetime.timedelta(minutes=15)

PLAIN_FIELDS = [
    "kind",
    "title",
    "summary",
    "source_url",
    "funder",
    "language",
    "published_on",
    "opens_on",
    "deadline",
    "zones",
    "amount_min",
    "amount_max",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _choices(queryset, label):
    return forms.ModelMultipleChoiceField(
        label=label, queryset=queryset, required=False, widget=forms.CheckboxSelectMultiple
    )


class WatchItemForm(AccessibleFormMixin, forms.ModelForm):
    zones = forms.MultipleChoiceField(
        label=_("Zones"),
        choices=Country.Continent.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For calls open to a whole continent."),
    )

    class Meta:
        model = WatchItem
        fields = [*PLAIN_FIELDS, *ELIGIBILITY_FIELDS]
        widgets = {
            "published_on": DateInput(),
            "opens_on": DateInput(),
            "deadline": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "deadline": _("The last day applications are accepted."),
            "summary": _("Plain text: any markup is shown as typed."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        vocabularies = {
            "organization_kinds": (OrganizationKind.objects.all(), _("Kinds of organisation")),
            "countries": (Country.objects.all(), _("Countries")),
            "departements": (Departement.objects.order_by("code"), _("Départements")),
            "themes": (Theme.objects.all(), _("Themes")),
            "sdgs": (SDG.objects.order_by("number"), _("SDGs")),
            "needs": (Need.objects.all(), _("Needs it answers")),
            "tags": (WatchTag.objects.all(), _("Tags")),
        }
        for name, (queryset, label) in vocabularies.items():
            field = _choices(queryset, label)
            if name in {"countries", "departements"}:
                field.widget = forms.SelectMultiple(attrs={"size": 8})
                field.help_text = _("Hold Ctrl (or Cmd) to choose several.")
            self.fields[name] = field
        for name in ["countries", "departements"]:
            self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("amount_min"), cleaned.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The maximum amount cannot be below the minimum."))
        opens, deadline = cleaned.get("opens_on"), cleaned.get("deadline")
        if opens and deadline and deadline < opens:
            self.add_error("deadline", _("The deadline cannot be before the opening date."))
        return cleaned

    def plain_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in PLAIN_FIELDS}

    def eligibility(self) -> dict:
        return {name: list(self.cleaned_data[name]) for name in ELIGIBILITY_FIELDS}


class WatchFeedForm(AccessibleFormMixin, forms.ModelForm):
    default_themes = _choices(Theme.objects.all(), _("Themes given to its items"))

    class Meta:
        model = WatchFeed
        fields = [
            "name",
            "url",
            "default_kind",
            "funder",
            "default_themes",
            "is_active",
            "interval",
        ]
        help_texts = {
            "url": _("The address of an RSS or Atom feed (http or https)."),
            "interval": _("Hours:minutes:seconds, for example 6:00:00."),
        }

    def clean_interval(self):
        interval = self.cleaned_data["interval"]
        if interval < MIN_INTERVAL:
            raise forms.ValidationError(_("A feed is read at most every 15 minutes."))
        return interval

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Only http and https addresses can be read."))
        return url


class MergeForm(AccessibleFormMixin, forms.Form):
    survivor = forms.ModelChoiceField(
        label=_("Item to keep"),
        queryset=WatchItem.objects.none(),
        help_text=_("This item's sightings move to the item kept; this one is discarded."),
    )

    def __init__(self, *args, duplicate: WatchItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = (
            WatchItem.objects.exclude(pk=duplicate.pk)
            .exclude(status=WatchItem.Status.DISCARDED)
            .order_by("title")
        )
