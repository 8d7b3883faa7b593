"""The events panel of organisations' and people's records: registrations and participations."""

from django.utils.translation import gettext_lazy as _

from observatoire.accounts.access import is_back_office
from observatoire.organizations import record_panels

from .models import Registration
from .selectors import participations

PANEL_LIMIT = 30


def _panel(registrations, request):
    if not is_back_office(request.user):
        return None
    registrations = registrations.select_related("event", "person", "organization").order_by(
        "-registered_at"
    )
    took_part = set(participations(registrations).values_list("pk", flat=True))
    rows = list(registrations[:PANEL_LIMIT])
    if not rows:
        return None
    return record_panels.RecordPanel(
        title=_("Events"),
        template="events/staff/record_panel.html",
        context={
            "rows": [(r, r.pk in took_part) for r in rows],
            "participations": len(took_part),
            "total": registrations.count(),
        },
        order=40,
    )


@record_panels.register_organization_panel
def organization_events_panel(organization, request):
    return _panel(Registration.objects.filter(organization=organization), request)


@record_panels.register_person_panel
def person_events_panel(person, request):
    return _panel(Registration.objects.filter(person=person), request)
