"""E-mails of the selection: the jury invitation and the applicants' results."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import override


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def application_link(application) -> str:
    """The applicant's own link to their application (the calls app's e-mailed link)."""
    try:
        from observatoire.calls.notifications import application_url
    except ImportError:
        application_url = None
    if application_url is not None:
        try:
            return application_url(application)
        except NoReverseMatch:
            pass
    for name, args in (
        ("calls:resume", [application.token]),
        ("calls:application", [application.token]),
        ("calls:detail", [application.call.slug]),
    ):
        try:
            return _absolute(reverse(name, args=args))
        except NoReverseMatch:
            continue
    return _absolute("/appels/")


def send_invitation(*, reviewer) -> None:
    with override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "selection/emails/invitation.txt",
            {
                "reviewer": reviewer,
                "call": reviewer.call,
                "network_name": settings.NETWORK_NAME,
                "link": _absolute(reverse("jury:invitation", args=[reviewer.token])),
            },
        )
        EmailMessage(
            subject=f"[{settings.NETWORK_NAME}] "
            + _("Jury of « %(call)s »") % {"call": reviewer.call.title},
            body=body,
            to=[reviewer.contact_email],
            reply_to=[settings.NETWORK_CONTACT_EMAIL],
        ).send()


def send_decisions(*, decision_ids: list[int]) -> None:
    from .models import Decision

    decisions = Decision.objects.filter(pk__in=decision_ids).select_related("application__call")
    with override(settings.LANGUAGE_CODE):
        for decision in decisions:
            application = decision.application
            if not application.contact_email:
                continue
            body = render_to_string(
                "selection/emails/decision.txt",
                {
                    "decision": decision,
                    "application": application,
                    "call": application.call,
                    "network_name": settings.NETWORK_NAME,
                    "link": application_link(application),
                },
            )
            EmailMessage(
                subject=f"[{settings.NETWORK_NAME}] "
                + _("Your application to « %(call)s »") % {"call": application.call.title},
                body=body,
                to=[application.contact_email],
                reply_to=[settings.NETWORK_CONTACT_EMAIL],
            ).send()
