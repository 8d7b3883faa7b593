"""The portal's part of the demo network: co-organised events, chosen visibility, the index.

Runs after the register, the groups, the events and the projects (INSTALLED_APPS order). The
groups' published events get one of their member organisations as co-organiser, so that an
organisation's page lists its events; a few organisations keep some fields for members only,
so that a visitor logged in as a member sees more than an anonymous one. Some rows of the demo
go in with bulk writes that skip signals, so the public search index is rebuilt at the end.
"""

import random

from observatoire.events.models import Event
from observatoire.groups.models import GroupMember
from observatoire.organizations.models import Organization, Visibility

from .index import index_rebuild

# (field, visibility) chosen by some organisations; the others keep the defaults.
VISIBILITY_CHOICES = [
    {"description": Visibility.MEMBERS},
    {"website": Visibility.MEMBERS, "phone": Visibility.STAFF},
    {"address_line1": Visibility.MEMBERS, "address_line2": Visibility.MEMBERS},
]


def load_demo(*, seed: int) -> None:
    """Link the groups' events to member organisations, vary a few visibility choices, index."""
    rng = random.Random(seed)
    events = Event.objects.published().filter(group__isnull=False).select_related("group")
    for event in events:
        if event.partner_organizers.exists():
            continue
        members = list(
            GroupMember.objects.filter(
                group=event.group,
                organization__status=Organization.Status.QUALIFIED,
            ).values_list("organization_id", flat=True)
        )
        if members:
            event.partner_organizers.add(rng.choice(sorted(members)))

    listed = list(
        Organization.objects.qualified()
        .filter(field_visibility={})
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in rng.sample(listed, min(len(listed), 12)):
        Organization.objects.filter(pk=pk).update(field_visibility=rng.choice(VISIBILITY_CHOICES))
    index_rebuild()
