"""Who reaches the selection pages.

Staff and administrators run the selection; the observatory reads nothing of it (scores are
confidential). Jury members reach /jury/ only: staff reviewers through their account, outside
reviewers through the session their personal invitation link opened. Nobody else sees a score.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from observatoire.accounts.access import can_edit_register

from .models import Assignment, Reviewer

SESSION_KEY = "selection_reviewers"


def access_selection(user) -> None:
    if not can_edit_register(user):
        raise PermissionDenied


def session_reviewer_ids(request) -> list[int]:
    return [int(pk) for pk in request.session.get(SESSION_KEY, []) if str(pk).isdigit()]


def open_reviewer_session(request, reviewer: Reviewer) -> None:
    ids = session_reviewer_ids(request)
    if reviewer.pk not in ids:
        # A new privilege in this session: a new session key, as on sign-in.
        request.session.cycle_key()
        request.session[SESSION_KEY] = [*ids, reviewer.pk]


def current_reviewers(request):
    """The jury seats of whoever is visiting: their account's seats and the session's."""
    seats = Reviewer.objects.filter(is_active=True)
    user = request.user
    ids = session_reviewer_ids(request)
    if user.is_authenticated and user.is_active and can_edit_register(user):
        return seats.filter(user=user) | seats.filter(pk__in=ids)
    return seats.filter(pk__in=ids)


def access_assignment(request, pk: int) -> Assignment:
    """An assignment of the visitor's own, still active; 404 for any other."""
    return get_object_or_404(
        Assignment.objects.active().select_related("application", "stage", "reviewer__call"),
        pk=pk,
        reviewer__in=current_reviewers(request),
    )
