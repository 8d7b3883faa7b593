from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import fields_of
from .models import Kind, SavedMapping

MAX_UPLOAD_BYTES = 500 * 1024 * 1024


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file lists"), choices=Kind.choices)
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("CSV separated by semicolons or commas, in UTF-8 or Windows-1252, or XLSX."),
    )
    mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=SavedMapping.objects.all(),
        required=False,
        empty_label=_("Guess from the column names"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 500 MB: use the command line."))
        return upload


class MappingForm(forms.Form):
    save_as = forms.CharField(
        label=_("Save this mapping as"),
        max_length=100,
        required=False,
        help_text=_("A name to reuse it with the next file of the same kind."),
    )

    def __init__(self, *args, job, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— ignore this column —"))] + [
            (f.key, f"{f.label}{' *' if f.required else ''}") for f in fields_of(job.kind)
        ]
        self.columns = []
        for index, header in enumerate(job.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("(column without a name)"),
                choices=choices,
                required=False,
                initial=job.mapping.get(header, ""),
            )
            self.columns.append((header, name))
        self.order_fields([name for _h, name in self.columns] + ["save_as"])

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data[name]
            for header, name in self.columns
            if self.cleaned_data.get(name)
        }
