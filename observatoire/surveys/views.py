"""The public questionnaire behind a personal link: no login, one answer, kept on error."""

from django.shortcuts import redirect, render
from django.utils import timezone

from . import selectors, services
from .forms import SurveyForm


def _unknown_link(request):
    return render(request, "surveys/unknown_link.html", status=404)


def answer(request, token: str):
    invitation = selectors.invitation_for_token(token=token)
    if invitation is None:
        return _unknown_link(request)
    survey = invitation.survey
    if invitation.answered_at is not None:
        return render(request, "surveys/already_answered.html", {"survey": survey}, status=410)
    if survey.is_closed(timezone.now()):
        return render(request, "surveys/closed.html", {"survey": survey}, status=410)
    questions = selectors.survey_questions(survey=survey)
    form = SurveyForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(invitation=invitation, values=form.values())
        except services.AlreadyAnswered:
            return render(request, "surveys/already_answered.html", {"survey": survey}, status=410)
        except services.SurveyClosed:
            return render(request, "surveys/closed.html", {"survey": survey}, status=410)
        return redirect("surveys:thanks", token=token)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "event": survey.event,
            "template": survey.template,
            "form": form,
            "error_summary": form.error_summary() if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
    )


def thanks(request, token: str):
    invitation = selectors.invitation_for_token(token=token)
    if invitation is None:
        return _unknown_link(request)
    return render(request, "surveys/thanks.html", {"survey": invitation.survey})
