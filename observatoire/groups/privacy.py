"""The groups a person took part in, for the GDPR export of the register."""

from observatoire.organizations.privacy import PersonalDataSection

from .models import GroupMember


def _export(person) -> list[dict]:
    memberships = GroupMember.objects.filter(person=person).select_related("group")
    return [
        {
            "group": m.group.name,
            "status": m.get_status_display(),
            "since": m.joined_on,
            "until": m.left_on,
        }
        for m in memberships.order_by("joined_on")
    ]


SECTION = PersonalDataSection(name="groups", export=_export)
