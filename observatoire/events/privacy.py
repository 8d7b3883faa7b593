"""What the events hold about a person, for the GDPR export and erasure of the register."""

from django.db.models import Prefetch

from observatoire.organizations.privacy import PersonalDataSection

from .models import Attendance, Registration


def _export(person) -> list[dict]:
    registrations = (
        Registration.objects.filter(person=person)
        .select_related("event", "organization", "country")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("sitting"))
        )
        .order_by("registered_at")
    )
    return [
        {
            "event": r.event.title,
            "status": r.get_status_display(),
            "source": r.get_source_display(),
            "email": r.email,
            "organization": r.organization.name if r.organization else r.organization_name,
            "country": str(r.country) if r.country else "",
            "time_zone": r.time_zone,
            "registered_at": r.registered_at,
            "cancelled_at": r.cancelled_at,
            "notes": r.notes,
            "attendance": [
                {"sitting": a.sitting.starts_at, "present": a.present} for a in r.attendances.all()
            ],
        }
        for r in registrations
    ]


def _erase(person) -> None:
    # The registrations stay, so that participant counts remain true; what identified the
    # person in them goes, with the history rows that kept earlier values.
    registrations = Registration.objects.filter(person=person)
    registrations.update(
        email=f"anonyme-{person.pk}@invalid.example", organization_name="", notes="", time_zone=""
    )
    Registration.history.filter(person_id=person.pk).delete()


SECTION = PersonalDataSection(name="event_registrations", export=_export, erase=_erase)
