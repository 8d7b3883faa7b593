"""Read-side queries of events shared by the pages, the surveys and the observatory."""

from django.db.models import Exists, OuterRef, QuerySet

from .models import Attendance, Registration


def participations(registrations: QuerySet[Registration] | None = None) -> QuerySet[Registration]:
    """The registrations that count as taking part in an event.

    A confirmed registration counts when the person was marked present at one sitting at least;
    for an event where nobody took attendance yet, every confirmed registration counts (the
    network's own figures are built that way when sign-in sheets were not kept). No-shows, people
    on the waiting list and cancellations never count.
    """
    registrations = Registration.objects.all() if registrations is None else registrations
    present = Attendance.objects.filter(registration=OuterRef("pk"), present=True)
    attendance_taken = Attendance.objects.filter(registration__event=OuterRef("event_id"))
    return registrations.filter(status=Registration.Status.CONFIRMED).filter(
        Exists(present) | ~Exists(attendance_taken)
    )
