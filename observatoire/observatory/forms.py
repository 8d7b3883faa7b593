"""The period chooser and filters of the dashboard and barometers (a GET form)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatoire.core.periods import FIRST_YEAR, LAST_YEAR, Period
from observatoire.organizations.models import Organization
from observatoire.referencing.forms import AccessibleFormMixin
from observatoire.referentials.models import College, Departement, OrganizationKind

from .figures import Filters

LAST_TWELVE_MONTHS = "last12"
CUSTOM = "custom"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodField(forms.ChoiceField):
    """The choices offered, and any year an URL may name (an older annual report's)."""

    def valid_value(self, value) -> bool:
        text = str(value)
        return super().valid_value(value) or (
            text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR
        )


class ObservatoryForm(AccessibleFormMixin, forms.Form):
    period = PeriodField(label=_("Period"), required=False)
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=DateInput(),
        help_text=_("For a period of your choice: its first and last days."),
    )
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    departement = forms.ChoiceField(label=_("Département"), required=False)
    kind = forms.ChoiceField(label=_("Kind of organisation"), required=False)
    college = forms.ChoiceField(label=_("College"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        year = timezone.localdate().year
        self.fields["period"].choices = [
            (LAST_TWELVE_MONTHS, _("The last 12 months")),
            *[(str(y), str(y)) for y in range(year, year - 6, -1)],
            (CUSTOM, _("Dates of my choice")),
        ]
        everything = [("", _("All"))]
        # The départements where organisations have their seat, not the hundred of France.
        used = Organization.objects.values("departement")
        self.fields["departement"].choices = everything + [
            (d.code, f"{d.code} {d.name}") for d in Departement.objects.filter(pk__in=used)
        ]
        self.fields["kind"].choices = everything + [
            (k.slug, k.name) for k in OrganizationKind.objects.all()
        ]
        self.fields["college"].choices = everything + [
            (c.slug, c.name) for c in College.objects.all()
        ]

    def _clean_date(self, name: str):
        value = self.cleaned_data.get(name)
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(_("Enter a date between 1980 and 2100."))
        return value

    def clean_start(self):
        return self._clean_date("start")

    def clean_end(self):
        return self._clean_date("end")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        wants_dates = data.get("period") == CUSTOM or (start and end and not self.errors)
        if wants_dates and not self.errors:
            if not start:
                self.add_error("start", _("Enter the first day of the period."))
            if not end:
                self.add_error("end", _("Enter the last day of the period."))
            if start and end and end < start:
                self.add_error("end", _("The last day comes before the first one."))
        return data

    def chosen_period(self, *, today: datetime.date | None = None) -> Period:
        """The period asked for; the last twelve months when the form is not valid."""
        default = Period.last_twelve_months(today)
        if not self.is_bound or not self.is_valid():
            return default
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            if data.get("period") in ("", CUSTOM) or not data.get("period"):
                return Period.custom(data["start"], data["end"])
        value = data.get("period") or ""
        if value == CUSTOM:
            return default
        return Period.parse(value, today=today)

    def chosen_filters(self) -> Filters:
        """The filters asked for; those with an error are left out."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            departement=data.get("departement", ""),
            kind=data.get("kind", ""),
            college=data.get("college", ""),
        )
