"""Survey invitations and signed answers of a person, for the GDPR export and erasure."""

from django.db.models import Prefetch

from observatoire.organizations.privacy import PersonalDataSection

from .models import Answer, Response, SurveyInvitation


def _export(person) -> list[dict]:
    invitations = (
        SurveyInvitation.objects.filter(registration__person=person)
        .select_related("survey__event")
        .prefetch_related(
            Prefetch(
                "response__answers",
                queryset=Answer.objects.select_related("question").prefetch_related("choices"),
            )
        )
        .order_by("pk")
    )
    rows = []
    for invitation in invitations:
        # An anonymous survey keeps no link from the answers to the invitation: nothing to give.
        response = getattr(invitation, "response", None)
        rows.append(
            {
                "event": invitation.survey.event.title,
                "sent_at": invitation.sent_at,
                "answered_at": invitation.answered_at,
                "answers": [
                    {
                        "question": answer.question.text,
                        "choices": [choice.label for choice in answer.choices.all()],
                        "value": answer.scale_value,
                        "text": answer.text,
                    }
                    for answer in (response.answers.all() if response else [])
                ],
            }
        )
    return rows


def _erase(person) -> None:
    # The answers stay in the results (percentages, response rate) but no longer lead back to
    # the person; free text, which may name them, goes.
    responses = Response.objects.filter(invitation__registration__person=person)
    Answer.objects.filter(response__in=responses).update(text="")
    responses.update(invitation=None)


SECTION = PersonalDataSection(name="survey_answers", export=_export, erase=_erase)
