import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from observatoire.core.images import clean_image
from observatoire.events.models import Event
from observatoire.news.models import NewsItem
from observatoire.organizations.models import VISIBILITY_DEFAULTS, Organization, Visibility
from observatoire.referencing.forms import AccessibleFormMixin
from observatoire.referentials.models import SDG, ActionKind, Country, Theme

from .services import EDITABLE_FIELDS, EDITABLE_RELATIONS, VISIBILITY_FIELDS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class OrganizationDetailsForm(AccessibleFormMixin, forms.ModelForm):
    """The published details of an organisation, with who may see each of them.

    Validated like the register's form but never saved by itself: the view hands the cleaned
    values to the publishing service, which queues them for moderation or applies them.
    """

    class Meta:
        model = Organization
        fields = [*EDITABLE_FIELDS, *EDITABLE_RELATIONS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "themes": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "action_kinds": forms.CheckboxSelectMultiple,
            "countries": forms.SelectMultiple(attrs={"size": 10}),
        }

    def __init__(self, *args, organization: Organization, proposed: dict | None = None, **kwargs):
        # A copy: validating the form writes the typed values onto its instance.
        instance = copy.copy(organization)
        initial = dict(proposed or {})
        visibility = initial.pop("field_visibility", None) or {}
        for field in VISIBILITY_FIELDS:
            level = visibility.get(field)
            if level:
                initial[f"visibility_{field}"] = level
        super().__init__(*args, instance=instance, initial=initial, **kwargs)
        self.fields["themes"].queryset = Theme.objects.active()
        self.fields["sdgs"].queryset = SDG.objects.all()
        self.fields["action_kinds"].queryset = ActionKind.objects.all()
        self.fields["countries"].queryset = Country.objects.all()
        self.fields["countries"].help_text = _("Hold Ctrl (or Cmd) to choose several countries.")
        current = organization.field_visibility or {}
        for field in VISIBILITY_FIELDS:
            label = Organization._meta.get_field(field).verbose_name
            self.fields[f"visibility_{field}"] = forms.ChoiceField(
                label=_("Who sees: %(field)s") % {"field": label},
                choices=Visibility.choices,
                initial=initial.get(
                    f"visibility_{field}", current.get(field, VISIBILITY_DEFAULTS[field])
                ),
            )

    @property
    def detail_fields(self):
        return [self[name] for name in [*EDITABLE_FIELDS, *EDITABLE_RELATIONS]]

    @property
    def visibility_fields(self):
        return [self[f"visibility_{field}"] for field in VISIBILITY_FIELDS]

    def proposed(self) -> dict:
        data = {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
        for name in EDITABLE_RELATIONS:
            data[name] = [obj.pk for obj in self.cleaned_data[name]]
        data["field_visibility"] = {
            field: self.cleaned_data[f"visibility_{field}"] for field in VISIBILITY_FIELDS
        }
        return data


class ContactRoleForm(AccessibleFormMixin, forms.Form):
    role = forms.CharField(label=_("Role"), max_length=200, required=False)


class EventProposalForm(AccessibleFormMixin, forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Start"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("End"), widget=DATETIME_WIDGET)

    class Meta:
        model = Event
        fields = ["title", "kind", "summary", "description", "venue", "address", "online_url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Events an organisation holds; the network's own kinds (assemblies...) are not theirs.
        self.fields["kind"].choices = [
            (value, label)
            for value, label in Event.Kind.choices
            if value not in (Event.Kind.GENERAL_ASSEMBLY, Event.Kind.WORKING_GROUP)
        ]
        self.fields["kind"].initial = Event.Kind.PUBLIC_EVENT

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must come after the start."))
        return cleaned

    def _post_clean(self):
        # The slug and status are set by the service; check the rest only.
        pass

    def event_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class NewsItemForm(AccessibleFormMixin, forms.ModelForm):
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or GIF, 10 MB at most. It is resized and its metadata (place, "
            "device) removed."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    class Meta:
        model = NewsItem
        fields = ["title", "summary", "body", "language", "image", "image_alt"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 10}),
        }

    cleaned_image = None

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload:
            self.cleaned_image = clean_image(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        has_image = self.cleaned_image is not None or bool(self.instance.image)
        if has_image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return cleaned

    def news_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "image"}

    def _post_clean(self):
        # Validated in full by the service, which also sets the slug.
        pass


class DecisionForm(AccessibleFormMixin, forms.Form):
    message = forms.CharField(
        label=_("Message to the editor"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to ask for changes or to reject: say what to change, or why."),
    )


def validation_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)
