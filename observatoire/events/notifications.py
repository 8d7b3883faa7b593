"""The e-mails of registrations, in the site's language, each with the event's .ics file."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .ical import ical_filename, registration_ical
from .models import Registration


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def manage_url(registration: Registration) -> str:
    return absolute_url(reverse("events:manage", args=[registration.token]))


SUBJECTS = {
    "confirmed": lambda: _("Your registration is confirmed: %(title)s"),
    "waiting": lambda: _("You are on the waiting list: %(title)s"),
    "promoted": lambda: _("A place is yours: %(title)s"),
    "reminder": lambda: _("Reminder: %(title)s"),
}


def send_registration_mail(*, registration_id: int, kind: str) -> None:
    """To the participant: confirmation, waiting list, place given, or reminder."""
    registration = (
        Registration.objects.select_related("event", "person", "event__commune")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or kind not in SUBJECTS:
        return
    if registration.status == Registration.Status.CANCELLED:
        return
    event = registration.event
    with override(settings.LANGUAGE_CODE):
        context = {
            "network_name": settings.NETWORK_NAME,
            "registration": registration,
            "event": event,
            "sittings": list(event.sittings.all()),
            "kind": kind,
            "manage_link": manage_url(registration),
            "event_link": absolute_url(reverse("events:detail", args=[event.slug])),
            "with_online_link": registration.status == Registration.Status.CONFIRMED,
        }
        body = render_to_string(f"events/emails/{kind}.txt", context)
        message = EmailMessage(
            subject=f"[{settings.NETWORK_NAME}] {SUBJECTS[kind]() % {'title': event.title}}",
            body=body,
            to=[registration.email],
            reply_to=[settings.NETWORK_CONTACT_EMAIL],
        )
        if registration.status == Registration.Status.CONFIRMED:
            message.attach(
                ical_filename(event),
                registration_ical(registration),
                "text/calendar; charset=utf-8; method=PUBLISH",
            )
        message.send()
