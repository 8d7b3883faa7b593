"""Support sessions where a person was met, for the GDPR export of the register."""

from observatoire.organizations.privacy import PersonalDataSection

from .models import SupportSession


def _export(person) -> list[dict]:
    sessions = (
        SupportSession.objects.filter(people=person)
        .select_related("organization")
        .order_by("occurred_on")
    )
    return [
        {"date": s.occurred_on, "organization": s.organization.name, "subject": s.subject}
        for s in sessions
    ]


# Erasure: the person record is anonymised by the register; the session keeps the link to it,
# which then names nobody.
SECTION = PersonalDataSection(name="support_sessions", export=_export)
