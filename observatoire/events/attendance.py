"""Attendance per sitting: the check-in list, no-shows and the printable sign-in sheet."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.core.text import fold

from .models import Attendance, Registration, Sitting

# Blank lines at the end of the sign-in sheet, for people who come without registering.
WALK_IN_LINES = 8


@dataclass
class CheckinRow:
    registration: Registration
    name: str
    organization: str
    present: bool | None  # None: not recorded yet
    search: str  # folded text the page filters on


@dataclass
class CheckinCounts:
    expected: int
    present: int
    absent: int

    @property
    def unrecorded(self) -> int:
        return self.expected - self.present - self.absent


def _organization_label(registration: Registration) -> str:
    if registration.organization_id:
        return registration.organization.name
    return registration.organization_name


def expected_registrations(sitting: Sitting):
    """The confirmed registrations of the sitting's event, by last then first name."""
    return (
        Registration.objects.confirmed()
        .filter(event_id=sitting.event_id)
        .select_related("person", "organization")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def checkin_rows(sitting: Sitting) -> list[CheckinRow]:
    """The people expected at a sitting with what was recorded for each, sorted by name."""
    registrations = expected_registrations(sitting).prefetch_related(
        Prefetch(
            "attendances",
            queryset=Attendance.objects.filter(sitting=sitting),
            to_attr="this_sitting",
        )
    )
    rows = []
    for registration in registrations:
        recorded = registration.this_sitting[0].present if registration.this_sitting else None
        name = f"{registration.person.last_name.upper()} {registration.person.first_name}"
        organization = _organization_label(registration)
        rows.append(
            CheckinRow(
                registration=registration,
                name=name,
                organization=organization,
                present=recorded,
                search=fold(f"{name} {organization}"),
            )
        )
    return rows


def checkin_counts(sitting: Sitting) -> CheckinCounts:
    """How many are expected at a sitting, and how many were marked present or absent."""
    expected = expected_registrations(sitting)
    recorded = Attendance.objects.filter(sitting=sitting, registration__in=expected)
    return CheckinCounts(
        expected=expected.count(),
        present=recorded.filter(present=True).count(),
        absent=recorded.filter(present=False).count(),
    )


def attendance_record(
    *,
    registration: Registration,
    sitting: Sitting,
    present: bool,
    recorded_by=None,
    now: datetime.datetime | None = None,
) -> Attendance:
    """Record that a registered person came to a sitting (or did not); recording again updates."""
    if registration.event_id != sitting.event_id:
        raise ValidationError(_("This person is not registered for this event."))
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            _("Only confirmed registrations are checked in: this one is “%(status)s”.")
            % {"status": registration.get_status_display()}
        )
    with transaction.atomic():
        attendance, _created = Attendance.objects.update_or_create(
            registration=registration,
            sitting=sitting,
            defaults={
                "present": present,
                "recorded_at": now or timezone.now(),
                "recorded_by": recorded_by,
            },
        )
    return attendance


def attendance_mark_rest_absent(
    *, sitting: Sitting, recorded_by=None, now: datetime.datetime | None = None
) -> int:
    """Record as no-shows the expected people nobody marked yet; returns how many. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        unrecorded = expected_registrations(sitting).exclude(attendances__sitting=sitting)
        created = Attendance.objects.bulk_create(
            [
                Attendance(
                    registration=registration,
                    sitting=sitting,
                    present=False,
                    recorded_at=now,
                    recorded_by=recorded_by,
                )
                for registration in unrecorded
            ]
        )
    return len(created)


def sign_in_sheet_pdf(sitting: Sitting) -> bytes:
    """The A4 sign-in sheet of a sitting: the confirmed registrations and blank lines."""
    # WeasyPrint reports each step at INFO level: not worth a line in the server's log.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML

    sitting = Sitting.objects.select_related("event", "event__commune").get(pk=sitting.pk)
    zone = timezone.get_current_timezone()
    html = render_to_string(
        "events/staff/sign_in_sheet.html",
        {
            "network_name": settings.NETWORK_NAME,
            "event": sitting.event,
            "sitting": sitting,
            "starts_at": timezone.localtime(sitting.starts_at, zone),
            "ends_at": timezone.localtime(sitting.ends_at, zone),
            "rows": [
                (
                    f"{r.person.last_name.upper()} {r.person.first_name}",
                    _organization_label(r),
                )
                for r in expected_registrations(sitting)
            ],
            "blank_lines": range(WALK_IN_LINES),
        },
    )
    return HTML(string=html).write_pdf()
