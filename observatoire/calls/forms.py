"""Forms of the calls: the staff's call and field forms, the applicant's steps and stage form."""

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from observatoire.referencing.forms import AccessibleFormMixin
from observatoire.referentials.models import SDG, Departement, OrganizationKind, Theme

from .models import Call, FormField, Stage
from .rules import ATTACHMENT_TYPES, check_attachment

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
BUDGET_ROWS = 8


def _datetime_field(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Paris time."),
    )


class CallForm(AccessibleFormMixin, forms.ModelForm):
    """A call and the dates of its one or two stages (entered in Paris time)."""

    stage1_name = forms.CharField(label=_("Stage 1: name"), initial=_("Note of intent"))
    stage1_opens_at = _datetime_field(_("Stage 1: opens at"))
    stage1_closes_at = _datetime_field(_("Stage 1: deadline"))
    stage1_instructions = forms.CharField(
        label=_("Stage 1: instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    two_stages = forms.BooleanField(
        label=_("Two stages (full applications by invitation)"), required=False
    )
    stage2_name = forms.CharField(
        label=_("Stage 2: name"), required=False, initial=_("Full application")
    )
    stage2_opens_at = _datetime_field(_("Stage 2: opens at"), required=False)
    stage2_closes_at = _datetime_field(_("Stage 2: deadline"), required=False)
    stage2_instructions = forms.CharField(
        label=_("Stage 2: instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "slug",
            "summary",
            "description",
            "rules",
            "budget",
            "max_amount_per_application",
            "eligible_kinds",
            "eligible_departements",
            "themes",
            "sdgs",
            "status",
        ]
        widgets = {
            "eligible_kinds": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 6}),
            "rules": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "slug": _("Left empty, it is made from the title."),
            "eligible_kinds": _("None ticked: every kind."),
            "eligible_departements": _("None selected: every département."),
            "themes": _("None ticked: any theme."),
            "sdgs": _("None ticked: any SDG."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["eligible_kinds"].queryset = OrganizationKind.objects.order_by("name_fr")
        self.fields["eligible_departements"].queryset = Departement.objects.order_by("code")
        self.fields["themes"].queryset = Theme.objects.order_by("name_fr")
        self.fields["sdgs"].queryset = SDG.objects.order_by("number")
        if self.instance.pk:
            for stage in self.instance.stages.all():
                prefix = f"stage{stage.number}_"
                self.initial[prefix + "name"] = stage.name
                self.initial[prefix + "opens_at"] = stage.opens_at
                self.initial[prefix + "closes_at"] = stage.closes_at
                self.initial[prefix + "instructions"] = stage.instructions
                if stage.number == 2:
                    self.initial["two_stages"] = True

    def clean(self):
        data = super().clean()
        for number in (1, 2):
            if number == 2 and not data.get("two_stages"):
                continue
            opens = data.get(f"stage{number}_opens_at")
            closes = data.get(f"stage{number}_closes_at")
            if number == 2:
                for name in ("name", "opens_at", "closes_at"):
                    if not data.get(f"stage2_{name}") and f"stage2_{name}" not in self.errors:
                        self.add_error(f"stage2_{name}", _("Required for a second stage."))
            if opens and closes and closes <= opens:
                self.add_error(
                    f"stage{number}_closes_at", _("The deadline must come after the opening.")
                )
        first_close = data.get("stage1_closes_at")
        second_open = data.get("stage2_opens_at")
        if data.get("two_stages") and first_close and second_open and second_open < first_close:
            self.add_error("stage2_opens_at", _("The second stage opens after the first closes."))
        return data

    def stages_data(self) -> list[dict]:
        stages = []
        for number in (1, 2):
            if number == 2 and not self.cleaned_data.get("two_stages"):
                continue
            prefix = f"stage{number}_"
            stages.append(
                {
                    "number": number,
                    "name": self.cleaned_data[prefix + "name"],
                    "opens_at": self.cleaned_data[prefix + "opens_at"],
                    "closes_at": self.cleaned_data[prefix + "closes_at"],
                    "instructions": self.cleaned_data[prefix + "instructions"],
                    "by_invitation": number == 2,
                }
            )
        return stages


class FormFieldForm(AccessibleFormMixin, forms.ModelForm):
    """One field of a stage's application form, as staff build it."""

    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line (single and multiple choice)."),
    )
    allowed_types = forms.MultipleChoiceField(
        label=_("Accepted file types"),
        required=False,
        choices=[
            (extension, extension.upper()) for extension in ATTACHMENT_TYPES if extension != "jpeg"
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: all of them (attachments)."),
    )

    class Meta:
        model = FormField
        fields = ["label", "help_text", "kind", "required", "max_words", "max_size_mb"]
        widgets = {"help_text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "max_words": _("Short and long texts; empty: no limit."),
            "max_size_mb": _("Attachments; empty: 10 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["choices_text"] = "\n".join(self.instance.choices)
            self.initial["allowed_types"] = self.instance.allowed_types

    def clean(self):
        data = super().clean()
        choices = [line.strip() for line in data.get("choices_text", "").splitlines()]
        data["choices"] = [choice for choice in choices if choice]
        kind = data.get("kind")
        if (
            kind in (FormField.Kind.CHOICE, FormField.Kind.MULTIPLE_CHOICE)
            and len(data["choices"]) < 2
        ):
            self.add_error("choices_text", _("Give at least two choices."))
        return data

    def save(self, commit=True):
        self.instance.choices = self.cleaned_data["choices"]
        self.instance.allowed_types = self.cleaned_data.get("allowed_types") or []
        return super().save(commit=commit)


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, SIREN or RNA number of your organisation"), max_length=200, required=False
    )


class ApplicantForm(AccessibleFormMixin, forms.Form):
    """Who applies: the contact person, and the title of the project."""

    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The link to come back to your application is sent there."),
    )
    project_title = forms.CharField(label=_("Title of the project"), max_length=300)


class NewOrganizationForm(AccessibleFormMixin, forms.Form):
    """A short referencing request for an organisation the register does not know yet."""

    name = forms.CharField(label=_("Name of the organisation"), max_length=255)
    kind = forms.ModelChoiceField(
        label=_("Kind of organisation"), queryset=OrganizationKind.objects.order_by("name_fr")
    )
    postal_code = forms.CharField(label=_("Postal code of the seat"), max_length=5)
    siren = forms.CharField(label=_("SIREN"), max_length=9, required=False)
    rna = forms.CharField(label=_("RNA number"), max_length=10, required=False)
    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    last_name = forms.CharField(label=_("Your last name"), max_length=100)
    contact_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The link to come back to your application is sent there."),
    )
    project_title = forms.CharField(label=_("Title of the project"), max_length=300)

    def clean_postal_code(self):
        value = self.cleaned_data["postal_code"].strip()
        if not (value.isdigit() and len(value) == 5):
            raise forms.ValidationError(_("Give the five digits of the postal code."))
        return value


class LostLinkForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("The e-mail address given when applying"),
        help_text=_("The links to your applications to this call are sent there again."),
    )


class EligibilityForm(AccessibleFormMixin, forms.Form):
    is_eligible = forms.TypedChoiceField(
        label=_("Eligibility"),
        choices=[("1", _("Eligible")), ("0", _("Not eligible"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm that our organisation withdraws this application")
    )


# The applicant's form of a stage, built from its fields.


def count_words(text: str) -> int:
    """Words as the help text says: what spaces and line breaks separate."""
    return len(text.split())


class BudgetTableWidget(forms.MultiWidget):
    template_name = "calls/widgets/budget_table.html"

    def __init__(self, attrs=None):
        widgets = []
        for row in range(1, BUDGET_ROWS + 1):
            widgets.append(
                forms.TextInput(attrs={"aria-label": _("Line %(n)s: item") % {"n": row}})
            )
            widgets.append(
                forms.TextInput(
                    attrs={
                        "aria-label": _("Line %(n)s: amount (EUR)") % {"n": row},
                        "inputmode": "decimal",
                    }
                )
            )
        super().__init__(widgets, attrs)

    def decompress(self, value):
        values: list = []
        for row in (value or {}).get("rows", [])[:BUDGET_ROWS]:
            values += [row.get("label", ""), row.get("amount", "")]
        return values + [""] * (2 * BUDGET_ROWS - len(values))


def _decimal(text: str) -> Decimal | None:
    cleaned = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    cleaned = cleaned.removesuffix("€")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class BudgetTableField(forms.MultiValueField):
    widget = BudgetTableWidget

    def __init__(self, **kwargs):
        fields = [forms.CharField(required=False) for _row in range(2 * BUDGET_ROWS)]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        rows, errors = [], []
        data_list = list(data_list or []) + [""] * (2 * BUDGET_ROWS)
        for row in range(BUDGET_ROWS):
            label = (data_list[2 * row] or "").strip()
            amount_text = (data_list[2 * row + 1] or "").strip()
            if not label and not amount_text:
                continue
            amount = _decimal(amount_text) if amount_text else None
            if not label:
                errors.append(_("Line %(n)s: say what the amount is for.") % {"n": row + 1})
            if amount is None or amount <= 0 or amount.as_tuple().exponent < -2:
                errors.append(
                    _("Line %(n)s: give a positive amount in euros (e.g. 1500 or 1500,50).")
                    % {"n": row + 1}
                )
                continue
            rows.append({"label": label, "amount": str(amount.quantize(Decimal("0.01")))})
        if errors:
            raise forms.ValidationError(errors)
        if not rows:
            return None
        total = sum(Decimal(row["amount"]) for row in rows)
        return {"rows": rows, "total": str(total)}


def field_name(field: FormField) -> str:
    return f"field_{field.pk}"


class StageForm(AccessibleFormMixin, forms.Form):
    """The application form of a stage. A draft may leave required fields empty."""

    # The browser must let a draft be saved half-filled: the server checks what is required.
    use_required_attribute = False

    def __init__(
        self, *args, stage: Stage, answers: dict, attachments: dict, for_submission=False, **kwargs
    ):
        self.stage = stage
        self.form_fields = list(stage.fields.all())
        self.attachments = attachments  # field id -> Attachment already uploaded
        self.for_submission = for_submission
        initial = {}
        for form_field in self.form_fields:
            value = answers.get(str(form_field.pk))
            if value is not None and form_field.kind != FormField.Kind.ATTACHMENT:
                initial[field_name(form_field)] = value
        super().__init__(*args, initial=initial, **kwargs)
        for form_field in self.form_fields:
            django_field = self._django_field(form_field)
            required = form_field.required
            if form_field.kind == FormField.Kind.ATTACHMENT and form_field.pk in attachments:
                required = False
            django_field.required = required
            self.fields[field_name(form_field)] = django_field
            if form_field.help_text or django_field.help_text:
                django_field.widget.attrs["aria-describedby"] = f"id_{field_name(form_field)}_help"

    def _post_clean(self):
        if self.for_submission:
            return
        for name in list(self._errors or {}):
            kept = [error for error in self._errors[name].as_data() if error.code != "required"]
            if kept:
                self._errors[name] = self.error_class(kept)
            else:
                del self._errors[name]

    def _django_field(self, form_field: FormField) -> forms.Field:
        kind = FormField.Kind
        help_parts = [form_field.help_text] if form_field.help_text else []
        label = form_field.label
        if form_field.kind in (kind.TEXT, kind.LONG_TEXT):
            if form_field.max_words:
                help_parts.append(
                    ngettext(
                        "%(count)s word at most (words are what spaces separate).",
                        "%(count)s words at most (words are what spaces separate).",
                        form_field.max_words,
                    )
                    % {"count": form_field.max_words}
                )
            widget = (
                forms.Textarea(attrs={"rows": 8})
                if form_field.kind == kind.LONG_TEXT
                else forms.TextInput
            )
            return forms.CharField(
                label=label,
                widget=widget,
                max_length=20000,
                help_text=" ".join(help_parts),
            )
        if form_field.kind == kind.CHOICE:
            return forms.ChoiceField(
                label=label,
                choices=[("", "—")] + [(choice, choice) for choice in form_field.choices],
                help_text=" ".join(help_parts),
            )
        if form_field.kind == kind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                label=label,
                choices=[(choice, choice) for choice in form_field.choices],
                widget=forms.CheckboxSelectMultiple,
                help_text=" ".join(help_parts),
            )
        if form_field.kind == kind.AMOUNT:
            return forms.CharField(
                label=label,
                max_length=30,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                help_text=" ".join(help_parts + [str(_("In euros, e.g. 12000 or 12000,50."))]),
            )
        if form_field.kind == kind.DATE:
            return forms.DateField(
                label=label,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                help_text=" ".join(help_parts),
            )
        if form_field.kind == kind.BUDGET_TABLE:
            return BudgetTableField(
                label=label,
                help_text=" ".join(
                    help_parts + [str(_("One line per item; the total is computed."))]
                ),
            )
        types = [t for t in (form_field.allowed_types or []) if t != "jpeg"] or [
            t for t in ATTACHMENT_TYPES if t != "jpeg"
        ]
        help_parts.append(
            str(_("Accepted: %(types)s; %(size)s MB at most."))
            % {"types": ", ".join(types), "size": form_field.max_size_mb or 10}
        )
        current = self.attachments.get(form_field.pk)
        if current is not None:
            help_parts.append(
                str(_("File sent: %(name)s (choose another one to replace it)."))
                % {"name": current.original_name}
            )
        return forms.FileField(
            label=label,
            help_text=" ".join(help_parts),
            widget=forms.ClearableFileInput(attrs={"accept": ",".join("." + t for t in types)}),
        )

    def clean(self):
        data = super().clean()
        for form_field in self.form_fields:
            name = field_name(form_field)
            if name not in data:
                continue
            value = data[name]
            kind = form_field.kind
            if kind in (FormField.Kind.TEXT, FormField.Kind.LONG_TEXT) and value:
                words = count_words(value)
                if form_field.max_words and words > form_field.max_words:
                    self.add_error(
                        name,
                        _("This text has %(words)s words; the limit is %(limit)s.")
                        % {"words": words, "limit": form_field.max_words},
                    )
            elif kind == FormField.Kind.AMOUNT and value:
                amount = _decimal(value)
                if amount is None or amount <= 0 or amount.as_tuple().exponent < -2:
                    self.add_error(
                        name, _("Give a positive amount in euros (e.g. 12000 or 12000,50).")
                    )
                else:
                    data[name] = amount.quantize(Decimal("0.01"))
            elif kind == FormField.Kind.ATTACHMENT and value:
                error = check_attachment(
                    value, allowed=form_field.allowed_types, max_size_mb=form_field.max_size_mb
                )
                if error:
                    self.add_error(name, error)
        return data

    def answers(self) -> dict:
        """The valid answers (attachments apart) as JSON values, keyed by field id."""
        answers = {}
        for form_field in self.form_fields:
            name = field_name(form_field)
            if form_field.kind == FormField.Kind.ATTACHMENT or name in self.errors:
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            if value in (None, "", []):
                continue
            answers[str(form_field.pk)] = value
        return answers

    def uploads(self) -> dict:
        """The valid files chosen now, keyed by field."""
        uploads = {}
        for form_field in self.form_fields:
            name = field_name(form_field)
            if form_field.kind == FormField.Kind.ATTACHMENT and name not in self.errors:
                upload = self.cleaned_data.get(name)
                if upload:
                    uploads[form_field] = upload
        return uploads
