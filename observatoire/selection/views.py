"""Staff pages of the selection (/espace/appels/selection/) and the jury space (/jury/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from observatoire.calls.models import Application, Attachment, Call, Stage, Submission
from observatoire.calls.selectors import applications_for, submission_summary

from . import selectors, services
from .access import access_assignment, access_selection, current_reviewers, open_reviewer_session
from .conflicts import conflicts_for
from .forms import (
    AssignForm,
    AutoAssignForm,
    CommitteeForm,
    CriterionForm,
    DecisionForm,
    DeclareConflictForm,
    InviteReviewerForm,
    ReviewForm,
    StaffReviewerForm,
)
from .models import Assignment, Committee, ConflictDeclaration, Criterion, Decision, Reviewer


def _field_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _stage(call: Call, stage_pk: int) -> Stage:
    return get_object_or_404(Stage, pk=stage_pk, call=call)


def _applications(call: Call, stage: Stage):
    return applications_for(call=call, stage_number=stage.number).exclude(is_eligible=False)


# --- Staff ------------------------------------------------------------------------------------


@login_required
def index(request):
    access_selection(request.user)
    calls = Call.objects.annotate(
        n_reviewers=Count("reviewers", distinct=True),
        n_applications=Count(
            "applications", filter=Q(applications__submitted_at__isnull=False), distinct=True
        ),
    ).order_by("-created_at")
    return render(request, "selection/staff/index.html", {"calls": calls})


@login_required
def call_detail(request, pk: int):
    access_selection(request.user)
    call = get_object_or_404(Call, pk=pk)
    staff_form = StaffReviewerForm(prefix="staff")
    invite_form = InviteReviewerForm(prefix="invite")
    if request.method == "POST":
        if "staff-user" in request.POST:
            staff_form = StaffReviewerForm(request.POST, prefix="staff")
            if staff_form.is_valid():
                reviewer = services.reviewer_add_staff(
                    call=call, user=staff_form.cleaned_data["user"]
                )
                messages.success(request, _("%(name)s is on the jury.") % {"name": reviewer})
                return redirect("selection:call", pk=call.pk)
        else:
            invite_form = InviteReviewerForm(request.POST, prefix="invite")
            if invite_form.is_valid():
                try:
                    reviewer = services.reviewer_invite(call=call, **invite_form.cleaned_data)
                except ValidationError as error:
                    _field_errors(invite_form, error)
                else:
                    messages.success(
                        request,
                        _("%(name)s is invited: the link to the jury space is sent to %(email)s.")
                        % {"name": reviewer, "email": reviewer.email},
                    )
                    return redirect("selection:call", pk=call.pk)
    stages = list(call.stages.order_by("number"))
    for stage in stages:
        stage.n_applications = _applications(call, stage).count()
        stage.n_criteria = Criterion.objects.filter(stage=stage).count()
        stage.n_reviews = selectors.reviews_submitted(stage=stage)
    return render(
        request,
        "selection/staff/call.html",
        {
            "call": call,
            "stages": stages,
            "reviewers": call.reviewers.select_related("user", "organization").annotate(
                n_assigned=Count(
                    "assignments", filter=Q(assignments__status=Assignment.Status.ASSIGNED)
                )
            ),
            "committees": call.committees.select_related("stage").annotate(
                n_decisions=Count("decisions")
            ),
            "staff_form": staff_form,
            "invite_form": invite_form,
            "declarations": ConflictDeclaration.objects.filter(
                assignment__reviewer__call=call
            ).select_related("assignment__reviewer__user", "assignment__application"),
            "granted": selectors.granted_total(call=call),
        },
    )


@login_required
def grid(request, pk: int, stage_pk: int):
    access_selection(request.user)
    call = get_object_or_404(Call, pk=pk)
    stage = _stage(call, stage_pk)
    criterion = None
    if request.GET.get("critere", "").isdigit():
        criterion = Criterion.objects.filter(stage=stage, pk=request.GET["critere"]).first()
    if request.method == "POST" and request.POST.get("delete", "").isdigit():
        Criterion.objects.filter(stage=stage, pk=request.POST["delete"]).delete()
        messages.success(request, _("The criterion is removed."))
        return redirect("selection:grid", pk=call.pk, stage_pk=stage.pk)
    instance = criterion or Criterion(call=call, stage=stage)
    form = CriterionForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.criterion_save(criterion=form.save(commit=False))
        messages.success(request, _("The grid is saved."))
        return redirect("selection:grid", pk=call.pk, stage_pk=stage.pk)
    criteria = Criterion.objects.filter(stage=stage)
    return render(
        request,
        "selection/staff/grid.html",
        {
            "call": call,
            "stage": stage,
            "criteria": criteria,
            "form": form,
            "criterion": criterion,
            "total_weight": sum(c.weight for c in criteria),
        },
    )


@login_required
def assignments(request, pk: int, stage_pk: int):
    access_selection(request.user)
    call = get_object_or_404(Call, pk=pk)
    stage = _stage(call, stage_pk)
    applications = list(_applications(call, stage))
    reviewers = list(call.reviewers.filter(is_active=True).select_related("user", "organization"))
    auto_form = AutoAssignForm(prefix="auto")
    assign_forms = {}
    if request.method == "POST":
        if "auto-per_application" in request.POST:
            auto_form = AutoAssignForm(request.POST, prefix="auto")
            if auto_form.is_valid():
                made, short = services.assign_automatically(
                    call=call,
                    stage=stage,
                    applications=applications,
                    per_application=auto_form.cleaned_data["per_application"],
                )
                messages.success(request, _("%(n)s assignments made.") % {"n": made})
                if short:
                    messages.warning(
                        request,
                        _("Not enough jury members without a conflict for: %(titles)s")
                        % {"titles": ", ".join(short)},
                    )
                return redirect("selection:assignments", pk=call.pk, stage_pk=stage.pk)
        elif request.POST.get("remove", "").isdigit():
            assignment = get_object_or_404(
                Assignment, pk=request.POST["remove"], stage=stage, reviewer__call=call
            )
            services.assignment_remove(assignment=assignment)
            messages.success(request, _("The assignment is removed."))
            return redirect("selection:assignments", pk=call.pk, stage_pk=stage.pk)
        elif request.POST.get("application", "").isdigit():
            application = get_object_or_404(Application, pk=request.POST["application"], call=call)
            form = AssignForm(request.POST, prefix=f"a{application.pk}", reviewers=reviewers)
            assign_forms[application.pk] = form
            if form.is_valid():
                try:
                    services.assignment_create(
                        reviewer=form.cleaned_data["reviewer"],
                        application=application,
                        stage=stage,
                        user=request.user,
                        override_reason=form.cleaned_data["override_reason"],
                    )
                except ValidationError as error:
                    _field_errors(form, error)
                else:
                    messages.success(request, _("The application is assigned."))
                    return redirect("selection:assignments", pk=call.pk, stage_pk=stage.pk)
    by_application: dict[int, list[Assignment]] = {}
    for assignment in (
        Assignment.objects.filter(stage=stage, reviewer__call=call)
        .exclude(status=Assignment.Status.REMOVED)
        .select_related("reviewer__user", "overridden_by", "review")
    ):
        by_application.setdefault(assignment.application_id, []).append(assignment)
    reviewer_list = reviewers
    conflicts = conflicts_for(reviewer_list, applications)
    rows = []
    for application in applications:
        rows.append(
            {
                "application": application,
                "assignments": by_application.get(application.pk, []),
                "conflicts": [
                    (reviewer, conflicts[reviewer.pk, application.pk])
                    for reviewer in reviewer_list
                    if (reviewer.pk, application.pk) in conflicts
                ],
                "form": assign_forms.get(application.pk)
                or AssignForm(prefix=f"a{application.pk}", reviewers=reviewers),
            }
        )
    return render(
        request,
        "selection/staff/assignments.html",
        {"call": call, "stage": stage, "rows": rows, "auto_form": auto_form},
    )


@login_required
def ranking(request, pk: int, stage_pk: int):
    access_selection(request.user)
    call = get_object_or_404(Call, pk=pk)
    stage = _stage(call, stage_pk)
    results = selectors.ranking(stage=stage, applications=_applications(call, stage))
    return render(
        request,
        "selection/staff/ranking.html",
        {
            "call": call,
            "stage": stage,
            "results": results,
            "committees": call.committees.filter(stage=stage),
        },
    )


@login_required
def committee(request, pk: int, stage_pk: int, committee_pk: int | None = None):
    access_selection(request.user)
    call = get_object_or_404(Call, pk=pk)
    stage = _stage(call, stage_pk)
    instance = (
        get_object_or_404(Committee, pk=committee_pk, call=call, stage=stage)
        if committee_pk
        else Committee(call=call, stage=stage)
    )
    form = CommitteeForm(request.POST or None, instance=instance, call=call)
    if request.method == "POST" and "notify" in request.POST and instance.pk:
        sent = services.committee_notify(committee=instance, user=request.user)
        messages.success(request, _("%(n)s applicants notified.") % {"n": sent})
        return redirect(
            "selection:committee", pk=call.pk, stage_pk=stage.pk, committee_pk=instance.pk
        )
    if request.method == "POST" and form.is_valid():
        saved = services.committee_save(
            committee=form.save(commit=False),
            attendees=form.cleaned_data["attendees"],
            reviewer_attendees=form.cleaned_data["reviewer_attendees"],
        )
        messages.success(request, _("The committee is saved."))
        return redirect("selection:committee", pk=call.pk, stage_pk=stage.pk, committee_pk=saved.pk)
    results = []
    if instance.pk:
        decisions = {d.application_id: d for d in instance.decisions.select_related("decided_by")}
        for result in selectors.ranking(stage=stage, applications=_applications(call, stage)):
            result.decision = decisions.get(result.application.pk)
            results.append(result)
    return render(
        request,
        "selection/staff/committee.html",
        {
            "call": call,
            "stage": stage,
            "committee": instance,
            "form": form,
            "results": results,
            "pending": instance.pk and instance.decisions.filter(notified_at__isnull=True).count(),
            "granted": selectors.granted_total(call=call),
        },
    )


@login_required
def decision(request, pk: int, committee_pk: int, application_pk: int):
    access_selection(request.user)
    committee = get_object_or_404(
        Committee.objects.select_related("call", "stage"), pk=committee_pk, call_id=pk
    )
    application = get_object_or_404(Application, pk=application_pk, call=committee.call)
    existing = Decision.objects.filter(committee=committee, application=application).first()
    initial = {"version": existing.version if existing else 0}
    if existing:
        initial.update(
            outcome=existing.outcome,
            amount_granted=existing.amount_granted,
            feedback=existing.feedback,
        )
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(
                committee=committee,
                application=application,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                amount_granted=form.cleaned_data["amount_granted"],
                feedback=form.cleaned_data["feedback"],
                version=form.cleaned_data["version"] or 0,
                confirm_amount=form.cleaned_data["confirm_amount"],
            )
        except ValidationError as error:
            _field_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(
                "selection:committee",
                pk=committee.call_id,
                stage_pk=committee.stage_id,
                committee_pk=committee.pk,
            )
    return render(
        request,
        "selection/staff/decision.html",
        {
            "call": committee.call,
            "committee": committee,
            "application": application,
            "form": form,
            "granted": selectors.granted_total(call=committee.call),
        },
    )


# --- Jury -------------------------------------------------------------------------------------


def jury_invitation(request, token: str):
    reviewer = Reviewer.objects.filter(token=token, is_active=True).first()
    if reviewer is None:
        return render(request, "selection/jury/invalid.html", status=404)
    open_reviewer_session(request, reviewer)
    return redirect("jury:home")


def jury_home(request):
    reviewers = current_reviewers(request)
    if not reviewers.exists():
        return render(request, "selection/jury/invalid.html", status=403)
    return render(
        request,
        "selection/jury/home.html",
        {"assignments": selectors.reviewer_assignments(reviewers=reviewers)},
    )


def _submissions(application, stage):
    """The application's submitted forms up to `stage`, each with its answers."""
    submissions = (
        Submission.objects.filter(
            application=application, stage__number__lte=stage.number, submitted_at__isnull=False
        )
        .select_related("stage")
        .prefetch_related("attachments", "stage__fields")
        .order_by("stage__number")
    )
    return [(submission, submission_summary(submission=submission)) for submission in submissions]


def jury_attachment(request, pk: int, attachment_pk: int):
    """A file of an application assigned to the visitor; always downloaded, never inline."""
    assignment = access_assignment(request, pk)
    attachment = get_object_or_404(
        Attachment, pk=attachment_pk, submission__application=assignment.application
    )
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type or "application/octet-stream",
    )


def jury_review(request, pk: int):
    assignment = access_assignment(request, pk)
    criteria = Criterion.objects.filter(stage=assignment.stage)
    review = getattr(assignment, "review", None)
    scores = selectors.scores_of(assignment=assignment)
    initial = {
        "recommendation": review.recommendation if review else "",
        "comment": review.comment if review else "",
    }
    for criterion_id, score in scores.items():
        initial[f"mark_{criterion_id}"] = score.value
        initial[f"comment_{criterion_id}"] = score.comment
    form = ReviewForm(request.POST or None, initial=initial, criteria=criteria)
    locked_by = services.stage_locked(stage=assignment.stage)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(
                assignment=assignment,
                marks=form.marks(),
                recommendation=form.cleaned_data["recommendation"],
                comment=form.cleaned_data["comment"],
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            _field_errors(form, error)
        else:
            if "submit" in request.POST:
                messages.success(request, _("Your review is sent. Thank you."))
                return redirect("jury:home")
            messages.success(request, _("Your marks are saved; you may come back to them."))
            return redirect("jury:review", pk=assignment.pk)
    return render(
        request,
        "selection/jury/review.html",
        {
            "assignment": assignment,
            "application": assignment.application,
            "submissions": _submissions(assignment.application, assignment.stage),
            "form": form,
            "review": review,
            "locked_by": locked_by,
            "mark_fields": [
                (criterion, form[f"mark_{criterion.pk}"], form[f"comment_{criterion.pk}"])
                for criterion in criteria
            ],
        },
    )


def jury_declare(request, pk: int):
    assignment = access_assignment(request, pk)
    form = DeclareConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.conflict_declare(assignment=assignment, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Thank you: this application is withdrawn from your list and the team is told."),
        )
        return redirect("jury:home")
    return render(
        request,
        "selection/jury/declare.html",
        {"assignment": assignment, "application": assignment.application, "form": form},
    )
