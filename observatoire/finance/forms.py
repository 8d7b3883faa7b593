"""The forms of the finance tabs. They parse and check input; the services decide and save."""

from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from observatoire.organizations.models import Organization

from .models import (
    EUR,
    BudgetLine,
    FunderKind,
    FundingApplication,
    Report,
    ReportingObligation,
    Transaction,
    currency_validator,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def money(label, **kwargs):
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, localize=True, **kwargs)


def date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DATE_INPUT, **kwargs)


class CurrencyMixin(forms.Form):
    currency = forms.CharField(
        label=_("Currency"), initial=EUR, max_length=3, validators=[currency_validator]
    )
    rate_to_eur = forms.DecimalField(
        label=_("Rate to EUR"),
        required=False,
        max_digits=14,
        decimal_places=8,
        localize=True,
        validators=[MinValueValidator(Decimal("0.00000001"))],
        help_text=_(
            "Value of one unit of the currency in euros, e.g. 0.00152449 for the CFA franc."
        ),
    )

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("currency") not in (None, EUR) and not cleaned.get("rate_to_eur"):
            self.add_error(
                "rate_to_eur",
                _("An amount in %(currency)s needs the rate used to convert it to euros.")
                % {"currency": cleaned["currency"]},
            )
        return cleaned


class ProjectForm(forms.Form):
    """A form whose choices come from one project: its lines, partners and funders."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if "budget_line" in self.fields:
            self.fields["budget_line"].queryset = project.budget_lines.all()
        if "partner" in self.fields:
            self.fields["partner"].queryset = project.partners.select_related("organization")
        for name in ("funder", "approved_by"):
            if name in self.fields:
                self.fields[name].queryset = project_organizations(project)


def project_organizations(project):
    """The partners of the project and its funders: who may fund or approve."""
    return Organization.objects.filter(
        pk__in=list(project.partners.values_list("organization", flat=True))
        + list(project.fundings.values_list("funder", flat=True))
    ).order_by("name")


class BudgetLineForm(CurrencyMixin, ProjectForm):
    category = forms.ChoiceField(label=_("Category"), choices=BudgetLine.Category.choices)
    label = forms.CharField(label=_("Label"), max_length=255)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    partner = forms.ModelChoiceField(label=_("Spent by"), queryset=None, required=False)
    amount = money(_("Amount"), min_value=Decimal("0"))
    field_order = ["category", "label", "year", "partner", "amount", "currency", "rate_to_eur"]


class MoveForm(ProjectForm):
    from_line = forms.ModelChoiceField(label=_("From line"), queryset=None)
    to_line = forms.ModelChoiceField(label=_("To line"), queryset=None)
    amount = money(_("Amount (EUR)"), min_value=Decimal("0.01"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_line"].queryset = self.project.budget_lines.all()
        self.fields["to_line"].queryset = self.project.budget_lines.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_line") and cleaned.get("from_line") == cleaned.get("to_line"):
            self.add_error("to_line", _("An amount moves between two different lines."))
        return cleaned


MoveFormSet = forms.formset_factory(MoveForm, extra=3, min_num=1, validate_min=True)


class ReallocationForm(ProjectForm):
    date = date_field(_("Date of the request"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    approved_by = forms.ModelChoiceField(label=_("Approved by (funder)"), queryset=None)
    approved_on = date_field(_("Approved on"))
    approval_reference = forms.CharField(
        label=_("Approval reference"), max_length=200, required=False
    )


class ExtensionForm(ProjectForm):
    requested_on = date_field(_("Requested on"))
    new_end = date_field(_("New end"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    approved_by = forms.ModelChoiceField(
        label=_("Approved by (funder)"), queryset=None, required=False
    )
    approved_on = date_field(_("Approved on"), required=False)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("approved_by")) != bool(cleaned.get("approved_on")):
            self.add_error(
                "approved_on", _("Give both the funder who approved and the date, or neither.")
            )
        return cleaned


class FundingForm(ProjectForm):
    funder = forms.ModelChoiceField(
        label=_("Funder"),
        queryset=None,
        help_text=_("Add the funder to the project's partners first if it is not listed."),
    )
    funder_kind = forms.ChoiceField(label=_("Kind of funder"), choices=FunderKind.choices)
    requested = money(_("Requested (EUR)"), min_value=Decimal("0"))
    granted = money(_("Granted (EUR)"), min_value=Decimal("0"), required=False)
    max_share = forms.DecimalField(
        label=_("Maximum share of the budget (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        localize=True,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )
    is_in_kind = forms.BooleanField(label=_("In kind"), required=False)


class TransactionForm(CurrencyMixin, ProjectForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Transaction.Kind.choices)
    date = date_field(_("Date"))
    amount = money(_("Amount"), min_value=Decimal("0.01"))
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=None, required=False)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, required=False)
    funder = forms.ModelChoiceField(
        label=_("Funder (incoming funds)"), queryset=None, required=False
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    field_order = [
        "kind",
        "date",
        "amount",
        "currency",
        "rate_to_eur",
        "budget_line",
        "partner",
        "funder",
        "description",
        "reference",
    ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "Columns: date, type, montant, devise, taux, ligne, partenaire, bailleur, "
            "description, référence. Every row is saved, or none."
        ),
    )


class ApplicationForm(ProjectForm):
    funder = forms.ModelChoiceField(
        label=_("Funder"),
        queryset=None,
        help_text=_("Add the funder to the project's partners first if it is not listed."),
    )
    funder_kind = forms.ChoiceField(label=_("Kind of funder"), choices=FunderKind.choices)
    call = forms.CharField(label=_("Call or programme"), max_length=255, required=False)
    amount_requested = money(_("Amount requested (EUR)"), min_value=Decimal("0"))
    deadline = date_field(_("Submission deadline"), required=False)
    reference = forms.CharField(label=_("Funder's reference"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[c for c in FundingApplication.Status.choices if c[0] != "draft"],
    )
    on = date_field(_("On"))
    amount_granted = money(_("Amount granted (EUR)"), min_value=Decimal("0"), required=False)
    max_share = forms.DecimalField(
        label=_("Maximum share of the budget (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        localize=True,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
    )


class ObligationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportingObligation.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    period_start = date_field(_("Period from"), required=False)
    period_end = date_field(_("Period to"), required=False)
    due_on = date_field(_("Due on"))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned


class SentForm(forms.Form):
    sent_on = date_field(_("Sent on"))


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = [
            "title",
            "period_start",
            "period_end",
            "funder",
            "activities",
            "difficulties",
            "next_steps",
        ]
        widgets = {"period_start": DATE_INPUT, "period_end": DATE_INPUT}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["funder"].queryset = project_organizations(project)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return cleaned
