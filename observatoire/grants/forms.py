from django import forms
from django.utils.translation import gettext_lazy as _

from observatoire.referencing.forms import AccessibleFormMixin

from .models import DOCUMENT_EXTENSIONS, Grant, Instalment, ReportDue

ACCEPT = ",".join(f".{extension}" for extension in DOCUMENT_EXTENSIONS)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _money(label):
    return forms.DecimalField(label=label, max_digits=12, decimal_places=2, min_value=0.01)


def _document(label, help_text=""):
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text or _("PDF, ODT, Word or image, 10 MB at most."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class AgreementForm(AccessibleFormMixin, forms.Form):
    reference = forms.CharField(label=_("Agreement reference"), max_length=100, required=False)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput)
    agreement_file = _document(_("Signed agreement"))

    def __init__(self, *args, prefix="agreement", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)


class InstalmentForm(AccessibleFormMixin, forms.Form):
    expected_on = forms.DateField(label=_("Expected on"), widget=DateInput)
    amount = _money(_("Amount (EUR)"))
    condition = forms.CharField(
        label=_("Condition"),
        max_length=200,
        required=False,
        help_text=_("For example « on the interim report »."),
    )

    def __init__(self, *args, prefix="instalment", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)


class PaymentForm(AccessibleFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("Date of payment"), widget=DateInput)
    amount = _money(_("Amount (EUR)"))
    instalment = forms.ModelChoiceField(
        label=_("Instalment"), queryset=Instalment.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, grant: Grant, prefix="payment", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["instalment"].queryset = grant.instalments.all()


class ReportDueForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=ReportDue.Kind.choices)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)

    def __init__(self, *args, prefix="report", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)


class ReportReceivedForm(AccessibleFormMixin, forms.Form):
    report = forms.ModelChoiceField(label=_("Report received"), queryset=ReportDue.objects.none())
    received_on = forms.DateField(label=_("Received on"), widget=DateInput)
    file = _document(_("File of the report"))

    def __init__(self, *args, grant: Grant, prefix="received", **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["report"].queryset = grant.reports.filter(received_on__isnull=True)
