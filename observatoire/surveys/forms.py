"""The questionnaire a participant fills: one field per question of the template."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question

FIELD_PREFIX = "question_"


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.pk}"


class SurveyForm(forms.Form):
    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[field_name(question)] = self._field(question)

    @staticmethod
    def _field(question: Question) -> forms.Field:
        common = {
            "label": question.text,
            "required": question.required,
            "error_messages": {"required": _("Please answer this question.")},
        }
        if question.kind == Question.Kind.FREE_TEXT:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, **common
            )
        if question.kind == Question.Kind.SCALE:
            values = range(question.scale_min, question.scale_max + 1)
            choices = []
            for value in values:
                label = str(value)
                if value == question.scale_min and question.scale_min_label:
                    label = f"{value} — {question.scale_min_label}"
                elif value == question.scale_max and question.scale_max_label:
                    label = f"{value} — {question.scale_max_label}"
                choices.append((str(value), label))
            return forms.TypedChoiceField(
                choices=choices, coerce=int, widget=forms.RadioSelect, **common
            )
        choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
        if question.kind == Question.Kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, **common
            )
        return forms.TypedChoiceField(
            choices=choices, coerce=int, widget=forms.RadioSelect, **common
        )

    def values(self) -> dict[int, object]:
        """The cleaned answers keyed by question id, for the service."""
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}

    def error_summary(self) -> list[tuple[str, str, str]]:
        summary = []
        for name, errors in self.errors.items():
            if name in self.fields:
                target = self[name].auto_id
                # A group of radio buttons is reached through its first button.
                if isinstance(
                    self.fields[name].widget, forms.RadioSelect | forms.CheckboxSelectMultiple
                ):
                    target = f"{target}_0"
                summary += [(target, self.fields[name].label, error) for error in errors]
            else:
                summary += [("", "", error) for error in errors]
        return summary
