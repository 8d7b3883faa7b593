from django import forms
from django.utils.translation import gettext_lazy as _

from observatoire.watch.models import WatchKind

from .rules import OPPORTUNITY_KINDS


class KindFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of opportunity"),
        required=False,
        choices=[("", _("All kinds"))]
        + [(kind, WatchKind(kind).label) for kind in OPPORTUNITY_KINDS],
    )

    def kinds(self) -> list[str] | None:
        """The kind asked for, or None (also when the parameter is unknown: it is ignored)."""
        if self.is_valid() and self.cleaned_data["kind"]:
            return [self.cleaned_data["kind"]]
        return None


class DigestSubscribeForm(forms.Form):
    address = forms.EmailField(
        label=_("E-mail address that receives the digest"),
        max_length=254,
        error_messages={
            "required": _("Enter the address that should receive the digest."),
            "invalid": _("Enter a valid e-mail address, such as nom@exemple.fr."),
        },
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to agree to receive the digest.")},
    )

    def __init__(self, *args, wording: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = wording
