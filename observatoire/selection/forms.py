from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from observatoire.accounts.models import BACK_OFFICE_ROLES, Role
from observatoire.organizations.models import Organization
from observatoire.referencing.forms import AccessibleFormMixin

from .models import Committee, Criterion, Decision, Review


class LenientDecimalField(forms.DecimalField):
    """A decimal typed the French way: « 12 500,50 » (spaces of any kind, decimal comma)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "").replace(",", ".")
        return super().to_python(value)


def _staff_users():
    return get_user_model().objects.filter(
        is_active=True, role__in=[Role.ADMINISTRATOR, Role.STAFF]
    )


class StaffReviewerForm(AccessibleFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=_staff_users())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _staff_users()


class InviteReviewerForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={"invalid": _("Enter a valid e-mail address, such as nom@exemple.fr.")},
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Their organisation in the register, to detect conflicts of interest."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            merged_into__isnull=True
        ).order_by("name")


class AssignForm(AccessibleFormMixin, forms.Form):
    reviewer = forms.TypedChoiceField(label=_("Jury member"), coerce=int)
    override_reason = forms.CharField(
        label=_("Reason for overruling a conflict of interest"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when a conflict is detected and you assign anyway."),
    )

    def __init__(self, *args, reviewers, **kwargs):
        # A list, not a queryset: the page shows one form per application.
        self.reviewers = {reviewer.pk: reviewer for reviewer in reviewers}
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "—")] + [
            (reviewer.pk, reviewer.display_name) for reviewer in reviewers
        ]

    def clean_reviewer(self):
        return self.reviewers[self.cleaned_data["reviewer"]]


class AutoAssignForm(AccessibleFormMixin, forms.Form):
    per_application = forms.IntegerField(
        label=_("Reviewers per application"), min_value=1, max_value=10, initial=3
    )


class CriterionForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["label", "guidance", "weight", "scale_max", "order"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}


class ReviewForm(AccessibleFormMixin, forms.Form):
    """A mark per criterion of the stage, a comment each, a recommendation and a comment."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", "—"), *Review.Recommendation.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("General comment"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, criteria, **kwargs):
        self.criteria = list(criteria)
        super().__init__(*args, **kwargs)
        marks = {}
        for criterion in self.criteria:
            marks[f"mark_{criterion.pk}"] = LenientDecimalField(
                label=_("%(criterion)s (0 to %(max)s)")
                % {"criterion": criterion.label, "max": criterion.scale_max},
                required=False,
                max_digits=5,
                decimal_places=2,
                help_text=criterion.guidance,
                error_messages={"invalid": _("Enter a number.")},
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
            )
            marks[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on « %(criterion)s »") % {"criterion": criterion.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields = {**marks, **self.fields}
        # The mixin tied help texts before these fields existed.
        for name in marks:
            if self.fields[name].help_text:
                self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}_help"

    def marks(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            c.pk: (
                self.cleaned_data.get(f"mark_{c.pk}"),
                self.cleaned_data.get(f"comment_{c.pk}") or "",
            )
            for c in self.criteria
        }


class DeclareConflictForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("What links you to the applicant?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say briefly what links you to the applicant.")},
    )


class CommitteeForm(AccessibleFormMixin, forms.ModelForm):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Staff present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reviewer_attendees = forms.ModelMultipleChoiceField(
        label=_("Jury members present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Committee
        fields = ["held_on", "other_attendees", "minutes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {"held_on": {"invalid": _("Enter a date, such as 15/03/2026.")}}

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = get_user_model().objects.filter(
            is_active=True, role__in=BACK_OFFICE_ROLES
        )
        self.fields["reviewer_attendees"].queryset = call.reviewers.filter(is_active=True)
        if self.instance.pk:
            self.fields["attendees"].initial = list(self.instance.attendees.all())
            self.fields["reviewer_attendees"].initial = list(self.instance.reviewer_attendees.all())


class DecisionForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices)
    amount_granted = LenientDecimalField(
        label=_("Amount granted (€)"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("For a laureate."),
        error_messages={"invalid": _("Enter a number.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    confirm_amount = forms.BooleanField(
        label=_("I confirm an amount above the amount requested"), required=False
    )
    feedback = forms.CharField(
        label=_("Feedback to the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
