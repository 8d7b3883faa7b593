"""The possible duplicates of an organisation, shown on its record in the back office."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from observatoire.organizations.record_panels import RecordPanel

from .access import can_view_duplicates
from .models import DuplicateCandidate


def duplicates_panel(organization, request) -> RecordPanel | None:
    if not can_view_duplicates(request.user):
        return None
    candidates = (
        DuplicateCandidate.objects.open()
        .filter(Q(first=organization) | Q(second=organization))
        .select_related("first__commune", "second__commune")
    )
    pairs = [
        (candidate, candidate.second if candidate.first_id == organization.pk else candidate.first)
        for candidate in candidates
    ]
    if not pairs:
        return None
    return RecordPanel(
        title=_("Possible duplicates"),
        template="admin/deduplication/record_panel.html",
        context={"pairs": pairs},
        order=5,
    )
