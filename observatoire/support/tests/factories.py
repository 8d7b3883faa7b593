"""Builders of support sessions for the tests, through the service as in real use."""

import datetime

from django.utils import timezone

from observatoire.support.models import SupportSession
from observatoire.support.services import FollowUpSpec, support_session_record


def make_session(
    organization,
    staff,
    *,
    days_ago: int = 10,
    occurred_on: datetime.date | None = None,
    duration_minutes: int = 90,
    mode: str = SupportSession.Mode.IN_PERSON,
    subject: str = "Montage d'un projet d'eau potable",
    help_kinds=("project_design",),
    follow_ups=(),
    **fields,
) -> SupportSession:
    return support_session_record(
        organization=organization,
        occurred_on=occurred_on or timezone.localdate() - datetime.timedelta(days=days_ago),
        duration_minutes=duration_minutes,
        mode=mode,
        subject=subject,
        staff_members=[staff],
        help_kinds=help_kinds,
        follow_ups=follow_ups,
        by=staff,
        **fields,
    )


def follow_up(description="Envoyer la note AFD", *, due_in_days=7, assignee=None, done=False):
    return FollowUpSpec(
        description=description,
        due_on=timezone.localdate() + datetime.timedelta(days=due_in_days),
        assignee=assignee,
        done=done,
    )
