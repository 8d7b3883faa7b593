from django import forms
from django.utils.translation import gettext_lazy as _

from observatoire.referencing.forms import AccessibleFormMixin

from .blocks import block_choices
from .models import AnnualReport, Section


class ReportForm(AccessibleFormMixin, forms.ModelForm):
    year = forms.IntegerField(label=_("Year"), min_value=1980, max_value=2100)

    class Meta:
        model = AnnualReport
        fields = ["year", "title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}


class NewReportForm(AccessibleFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1980, max_value=2100)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for “Annual report” and the year."),
    )


class SectionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}


class BlockForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Block to add"), choices=block_choices)
