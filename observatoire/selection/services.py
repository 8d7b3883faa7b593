"""Writes of the selection: jury, assignments, reviews, committees, decisions, notifications."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import notifications
from .conflicts import conflicts_between, conflicts_for
from .models import (
    Assignment,
    Committee,
    ConflictDeclaration,
    Criterion,
    Decision,
    Review,
    Reviewer,
    Score,
)

# --- Jury -------------------------------------------------------------------------------------


@transaction.atomic
def reviewer_add_staff(*, call, user) -> Reviewer:
    """Seat a staff member on the jury of `call` (once)."""
    reviewer, _created = Reviewer.objects.get_or_create(call=call, user=user)
    return reviewer


@transaction.atomic
def reviewer_invite(*, call, name: str, email: str, organization=None, person=None) -> Reviewer:
    """Invite an outside person: they receive a personal link to the jury space."""
    email = email.strip().lower()
    if Reviewer.objects.filter(call=call, email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a jury member of this call.")})
    reviewer = Reviewer(
        call=call,
        name=name.strip(),
        email=email,
        organization=organization,
        person=person,
        invited_at=timezone.now(),
    )
    reviewer.full_clean()
    reviewer.save()
    transaction.on_commit(lambda: notifications.send_invitation(reviewer=reviewer))
    return reviewer


# --- Assignments ------------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *, reviewer, application, stage, user=None, override_reason: str = ""
) -> Assignment:
    """Assign `application` to `reviewer` for `stage`, unless a conflict of interest is detected.

    A detected conflict blocks the assignment; staff may overrule it with a reason, recorded
    with who overruled and when.
    """
    if reviewer.call_id != application.call_id or stage.call_id != application.call_id:
        raise ValidationError(
            _("The reviewer, the application and the stage belong to other calls.")
        )
    reasons = conflicts_between(reviewer, application)
    override_reason = override_reason.strip()
    if reasons and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "Conflict of interest: %(reasons)s Give a reason to assign anyway."
                )
                % {"reasons": " ".join(reasons)}
            }
        )
    assignment, _created = Assignment.objects.get_or_create(
        reviewer=reviewer, application=application, stage=stage
    )
    assignment.status = Assignment.Status.ASSIGNED
    assignment.conflict_flag = bool(reasons)
    assignment.conflict_reasons = reasons
    if reasons:
        assignment.override_reason = override_reason
        assignment.overridden_by = user
        assignment.overridden_at = timezone.now()
    assignment.save()
    return assignment


@transaction.atomic
def assignment_remove(*, assignment) -> None:
    assignment.status = Assignment.Status.REMOVED
    assignment.save(update_fields=["status", "updated_at"])


@transaction.atomic
def assign_automatically(
    *, call, stage, applications, per_application: int
) -> tuple[int, list[str]]:
    """Give each application `per_application` reviewers, the least loaded first, skipping
    conflicts. Returns the number of assignments made and the applications left short."""
    reviewers = list(
        Reviewer.objects.filter(call=call, is_active=True)
        .select_related("user", "organization")
        .annotate(
            load=Count(
                "assignments",
                filter=Q(assignments__stage=stage, assignments__status=Assignment.Status.ASSIGNED),
            )
        )
    )
    load = {reviewer.pk: reviewer.load for reviewer in reviewers}
    taken = set(
        Assignment.objects.filter(stage=stage, reviewer__call=call).values_list(
            "reviewer_id", "application_id"
        )
    )
    active = dict(
        Assignment.objects.active()
        .filter(stage=stage)
        .values("application_id")
        .annotate(n=Count("pk"))
        .values_list("application_id", "n")
    )
    applications = list(applications)
    conflicts = conflicts_for(reviewers, applications)
    made = 0
    short: list[str] = []
    for application in applications:
        missing = per_application - active.get(application.pk, 0)
        candidates = sorted(reviewers, key=lambda r: (load[r.pk], r.pk))
        for reviewer in candidates:
            if missing <= 0:
                break
            if (reviewer.pk, application.pk) in taken:
                continue
            if (reviewer.pk, application.pk) in conflicts:
                continue
            Assignment.objects.create(reviewer=reviewer, application=application, stage=stage)
            taken.add((reviewer.pk, application.pk))
            load[reviewer.pk] += 1
            missing -= 1
            made += 1
        if missing > 0:
            short.append(application.project_title)
    return made, short


@transaction.atomic
def conflict_declare(*, assignment, reason: str) -> ConflictDeclaration:
    """The reviewer declares a conflict: the assignment is withdrawn, staff see the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly what links you to the applicant.")})
    declaration = ConflictDeclaration.objects.create(assignment=assignment, reason=reason)
    assignment.status = Assignment.Status.DECLARED_CONFLICT
    assignment.save(update_fields=["status", "updated_at"])
    return declaration


# --- Grid and reviews -------------------------------------------------------------------------


@transaction.atomic
def criterion_save(*, criterion: Criterion) -> Criterion:
    criterion.full_clean()
    criterion.save()
    return criterion


def stage_locked(*, stage) -> Committee | None:
    """The committee of `stage` that has met (the reviews of the stage are then locked)."""
    today = timezone.localdate()
    return Committee.objects.filter(stage=stage, held_on__lte=today).order_by("held_on").first()


@transaction.atomic
def review_save(
    *,
    assignment,
    marks: dict[int, tuple[Decimal | None, str]],
    recommendation: str = "",
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Save the reviewer's marks (criterion id → (mark, comment)); submit them if asked.

    Marks must lie within each criterion's scale; a submitted review needs every mark and a
    recommendation. Once the committee of the stage has met, nothing changes any more.
    """
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != Assignment.Status.ASSIGNED:
        raise ValidationError(_("This application is no longer assigned to you."))
    committee = stage_locked(stage=assignment.stage)
    if committee is not None:
        raise ValidationError(
            _(
                "The selection committee met on %(date)s: the reviews of this stage are closed "
                "and your marks were not recorded."
            )
            % {"date": formats.date_format(committee.held_on, "SHORT_DATE_FORMAT")}
        )
    criteria = {c.pk: c for c in Criterion.objects.filter(stage=assignment.stage)}
    errors: dict[str, list[str]] = {}
    for pk, criterion in criteria.items():
        value, _comment = marks.get(pk, (None, ""))
        if value is None:
            if submit:
                errors.setdefault(f"mark_{pk}", []).append(_("Give a mark to submit your review."))
            continue
        if value < 0 or value > criterion.scale_max:
            errors.setdefault(f"mark_{pk}", []).append(
                _("The mark must lie between 0 and %(max)s.") % {"max": criterion.scale_max}
            )
    if submit and recommendation not in Review.Recommendation.values:
        errors["recommendation"] = [_("Choose a recommendation to submit your review.")]
    if errors:
        raise ValidationError(errors)
    for pk in criteria:
        value, mark_comment = marks.get(pk, (None, ""))
        if value is None:
            Score.objects.filter(assignment=assignment, criterion_id=pk).delete()
            continue
        Score.objects.update_or_create(
            assignment=assignment,
            criterion_id=pk,
            defaults={"value": value, "comment": mark_comment.strip()},
        )
    review, _created = Review.objects.get_or_create(assignment=assignment)
    review.recommendation = recommendation or ""
    review.comment = comment.strip()
    if submit:
        review.submitted_at = timezone.now()
    review.save()
    return review


# --- Committees and decisions -----------------------------------------------------------------


APPLICATION_STATUS = {
    Decision.Outcome.INVITED: "invited",
    Decision.Outcome.FINALIST: "finalist",
    Decision.Outcome.LAUREATE: "laureate",
    Decision.Outcome.NOT_SELECTED: "not_selected",
}


@transaction.atomic
def committee_save(*, committee: Committee, attendees=(), reviewer_attendees=()) -> Committee:
    committee.full_clean()
    committee.save()
    committee.attendees.set(attendees)
    committee.reviewer_attendees.set(reviewer_attendees)
    return committee


class DecisionConflict(ValidationError):
    """Someone else saved the decision since the form was opened."""


def decide(
    *,
    committee: Committee,
    application,
    outcome: str,
    user,
    amount_granted: Decimal | None = None,
    feedback: str = "",
    version: int | None = None,
    confirm_amount: bool = False,
) -> Decision:
    """Record the committee's decision on `application` and set the application's status.

    `version` is the decision's version when the form was opened (None for a new decision):
    when someone saved it since, the save is refused and nothing is changed.
    """
    errors: dict[str, list[str]] = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = [_("Choose a decision.")]
    if outcome == Decision.Outcome.LAUREATE:
        if amount_granted is None:
            errors["amount_granted"] = [_("Give the amount granted to a laureate.")]
        elif amount_granted <= 0:
            errors["amount_granted"] = [_("The amount granted must be positive.")]
        elif (
            application.amount_requested is not None
            and amount_granted > application.amount_requested
            and not confirm_amount
        ):
            errors["amount_granted"] = [
                _(
                    "The amount granted is more than the %(requested)s € requested: tick the box "
                    "to confirm it."
                )
                % {"requested": formats.number_format(application.amount_requested, 2)}
            ]
    else:
        amount_granted = None
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = (
            Decision.objects.select_related("decided_by")
            .filter(committee=committee, application=application)
            .first()
        )
        values = {
            "outcome": outcome,
            "amount_granted": amount_granted,
            "feedback": feedback.strip(),
            "decided_by": user,
            "decided_at": timezone.now(),
        }
        if existing is None:
            if version not in (None, 0):
                raise ValidationError(_("This decision no longer exists; reload the page."))
            try:
                with transaction.atomic():
                    decision = Decision.objects.create(
                        committee=committee, application=application, **values
                    )
            except IntegrityError:
                existing = Decision.objects.get(committee=committee, application=application)
                raise _conflict(existing) from None
        else:
            expected = existing.version if version is None else version
            updated = Decision.objects.filter(pk=existing.pk, version=expected).update(
                version=expected + 1, **values
            )
            if not updated:
                existing.refresh_from_db()
                raise _conflict(existing)
            decision = Decision.objects.get(pk=existing.pk)
        _apply_outcome(application=application, outcome=outcome, stage=committee.stage)
    return decision


def _conflict(decision: Decision) -> DecisionConflict:
    return DecisionConflict(
        _("This decision was changed by %(name)s at %(time)s; reload the page to see it.")
        % {
            "name": decision.decided_by or _("someone else"),
            "time": formats.date_format(
                timezone.localtime(decision.decided_at), "SHORT_DATETIME_FORMAT"
            ),
        }
    )


def _apply_outcome(*, application, outcome: str, stage) -> None:
    # Invitations to stage 2 are mailed with the notifications, not at each decision.
    application.status = APPLICATION_STATUS[outcome]
    fields = ["status", "updated_at"]
    if outcome == Decision.Outcome.INVITED:
        application.stage_reached = 2
        fields.append("stage_reached")
    application.save(update_fields=fields)


@transaction.atomic
def committee_notify(*, committee: Committee, user=None) -> int:
    """E-mail every applicant decided on by `committee` and not told yet; returns how many."""
    decisions = list(
        Decision.objects.select_for_update()
        .filter(committee=committee, notified_at__isnull=True)
        .select_related("application__call")
    )
    now = timezone.now()
    for decision in decisions:
        decision.notified_at = now
        decision.save(update_fields=["notified_at"])
    committee.notified_at = now
    committee.save(update_fields=["notified_at", "updated_at"])
    invite = _application_invite()
    mailed = []
    for decision in decisions:
        if decision.outcome == Decision.Outcome.INVITED and invite is not None:
            # The calls app mails the invitation with the applicant's link to stage 2.
            invite(application=decision.application, by=user)
        else:
            mailed.append(decision.pk)
    transaction.on_commit(lambda: notifications.send_decisions(decision_ids=mailed))
    return len(decisions)


def _application_invite():
    try:
        from observatoire.calls.services import application_invite
    except ImportError:
        return None
    return application_invite
