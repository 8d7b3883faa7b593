from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.newsletters.models import MailingList
from observatoire.referencing.forms import AccessibleFormMixin
from observatoire.referentials.models import Theme
from observatoire.watch.models import WatchItem, WatchKind

from .blocks import MAX_COUNT
from .models import Campaign
from .services import parse_addresses

BLOCK_FIELDS = {
    "watch": [
        "watch_enabled",
        "watch_title",
        "watch_kinds",
        "watch_theme",
        "watch_count",
        "watch_items",
    ],
    "events": ["events_enabled", "events_title", "events_theme", "events_count"],
    "news": ["news_enabled", "news_title", "news_count"],
}


def _count_field():
    return forms.IntegerField(
        label=_("How many entries"), min_value=1, max_value=MAX_COUNT, initial=5, required=False
    )


def _theme_field():
    return forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )


class CampaignForm(AccessibleFormMixin, forms.ModelForm):
    lists = forms.ModelMultipleChoiceField(
        label=_("Mailing lists"),
        queryset=MailingList.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("An address on several lists receives one copy."),
    )
    watch_enabled = forms.BooleanField(label=_("Add the open funding calls"), required=False)
    watch_title = forms.CharField(label=_("Title of the block"), max_length=200, required=False)
    watch_kinds = forms.MultipleChoiceField(
        label=_("Kinds of opportunity"),
        choices=WatchKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every kind."),
    )
    watch_theme = _theme_field()
    watch_count = _count_field()
    watch_items = forms.ModelMultipleChoiceField(
        label=_("Or choose the opportunities"),
        queryset=WatchItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Ticked ones replace the kinds and theme above (open ones only)."),
    )
    events_enabled = forms.BooleanField(label=_("Add the upcoming events"), required=False)
    events_title = forms.CharField(label=_("Title of the block"), max_length=200, required=False)
    events_theme = _theme_field()
    events_count = _count_field()
    news_enabled = forms.BooleanField(label=_("Add the latest news"), required=False)
    news_title = forms.CharField(label=_("Title of the block"), max_length=200, required=False)
    news_count = _count_field()

    class Meta:
        model = Campaign
        fields = [
            "name",
            "subject",
            "preheader",
            "from_name",
            "reply_to",
            "language",
            "body_html",
            "body_text",
            "public_in_archive",
        ]
        widgets = {
            "body_html": forms.Textarea(attrs={"rows": 14, "class": "campaign-editor"}),
            "body_text": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "body_html": _(
                "Personalisation fields replaced for each recipient: {{ prenom }}, {{ nom }}, "
                "{{ structure }}. Scripts and styles are removed."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["watch_items"].queryset = WatchItem.objects.open().order_by("deadline", "pk")
        if self.instance.pk:
            self.fields["lists"].initial = list(self.instance.lists.values_list("pk", flat=True))
            for block in self.instance.blocks or []:
                kind = block.get("type")
                if kind not in BLOCK_FIELDS:
                    continue
                self.fields[f"{kind}_enabled"].initial = True
                self.fields[f"{kind}_title"].initial = block.get("title", "")
                self.fields[f"{kind}_count"].initial = block.get("count", 5)
                if kind in ("watch", "events"):
                    self.fields[f"{kind}_theme"].initial = block.get("theme") or None
                if kind == "watch":
                    self.fields["watch_kinds"].initial = block.get("kinds", [])
                    self.fields["watch_items"].initial = block.get("items", [])

    def block_fields(self):
        """The bound fields of each block, for the template."""
        return {kind: [self[name] for name in names] for kind, names in BLOCK_FIELDS.items()}

    def blocks(self) -> list[dict]:
        data, blocks = self.cleaned_data, []
        for kind in BLOCK_FIELDS:
            if not data.get(f"{kind}_enabled"):
                continue
            theme = data.get(f"{kind}_theme")
            blocks.append(
                {
                    "type": kind,
                    "title": data.get(f"{kind}_title") or "",
                    "count": data.get(f"{kind}_count") or 5,
                    "kinds": (data.get("watch_kinds") or []) if kind == "watch" else [],
                    "theme": theme.slug if theme else "",
                    "items": [item.pk for item in data.get("watch_items") or []]
                    if kind == "watch"
                    else [],
                }
            )
        return blocks


class ScheduleForm(AccessibleFormMixin, forms.Form):
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Send now")), ("later", _("At a date and time"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    at = forms.DateTimeField(
        label=_("Date and time (Paris time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            at = data.get("at")
            if at is None:
                self.add_error("at", _("Give the date and time of sending."))
            elif at <= timezone.now():
                self.add_error("at", _("This moment is past: choose a later one or send now."))
        return data

    def send_at(self):
        return self.cleaned_data["at"] if self.cleaned_data.get("when") == "later" else None


class TestSendForm(AccessibleFormMixin, forms.Form):
    addresses = forms.CharField(
        label=_("Send a test to"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or more addresses, separated by commas or lines (ten at most)."),
    )

    def clean_addresses(self) -> list[str]:
        try:
            return parse_addresses(self.cleaned_data["addresses"])
        except ValidationError as error:
            raise ValidationError(error.messages) from error
