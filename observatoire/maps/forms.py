"""The map page's filters: a GET form that works without JavaScript."""

from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from observatoire.referentials.models import SDG, Country, Departement, OrganizationKind, Theme

from .selectors import ORGANIZATION_FILTERS, PROJECT_FILTERS, param_values

# Everything a map or widget URL carries over: the filters of both lists and the widget's layer.
SHARED_PARAMETERS = list(dict.fromkeys([*ORGANIZATION_FILTERS, *PROJECT_FILTERS, "layer"]))


class MapFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country of intervention"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    sdg = forms.ChoiceField(label=_("SDG"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    departement = forms.ChoiceField(label=_("Département"), required=False)

    def __init__(self, data=None, **kwargs):
        self.params = data if data is not None else {}
        super().__init__(data, **kwargs)
        everything = [("", _("Any"))]
        self.fields["country"].choices = everything + [
            (c.iso2, c.name) for c in sorted(Country.objects.all(), key=lambda c: c.name)
        ]
        self.fields["theme"].choices = everything + [
            (t.slug, str(t)) for t in Theme.objects.filter(is_active=True)
        ]
        self.fields["sdg"].choices = everything + [
            (str(s.number), str(s)) for s in SDG.objects.order_by("number")
        ]
        self.fields["kind"].choices = everything + [
            (k.slug, str(k)) for k in OrganizationKind.objects.filter(is_active=True)
        ]
        self.fields["departement"].choices = everything + [
            (d.code, f"{d.code} {d.name}") for d in Departement.objects.order_by("code")
        ]

    def query_string(self) -> str:
        """`?…` with the filters this request carries (repeated values kept), or ``."""
        pairs = [(n, v) for n in SHARED_PARAMETERS for v in param_values(self.params, n)]
        return "?" + urlencode(pairs) if pairs else ""
