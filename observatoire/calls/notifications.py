"""The e-mails of the application flow, in the site's language, sent after the commit."""

import contextlib
import contextvars

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Application
from .tokens import application_token

_muted = contextvars.ContextVar("calls_mails_muted", default=False)


@contextlib.contextmanager
def muted():
    """Send none of these mails: the demo data must not write to anyone."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def after_commit(send, **kwargs) -> None:
    """Send this mail once the transaction commits, unless mails are muted now."""
    if _muted.get():
        return
    transaction.on_commit(lambda: send(**kwargs))


def application_path(application: Application) -> str:
    return reverse("calls:application", args=[application_token(application)])


def application_url(application: Application) -> str:
    return settings.SITE_URL.rstrip("/") + application_path(application)


def _send(template: str, subject: str, application: Application, context: dict) -> None:
    context = {
        "network_name": settings.NETWORK_NAME,
        "application": application,
        "call": application.call,
        "link": application_url(application),
        **context,
    }
    with override(settings.LANGUAGE_CODE):
        body = render_to_string(f"calls/emails/{template}.txt", context)
        EmailMessage(
            subject=f"[{settings.NETWORK_NAME}] {subject} – {application.call.title}",
            body=body,
            to=[application.contact_email],
            reply_to=[settings.NETWORK_CONTACT_EMAIL],
        ).send()


def send_resume_link(*, application_id: int) -> None:
    """To the contact: the link to come back to the draft."""
    application = Application.objects.select_related("call").get(pk=application_id)
    with override(settings.LANGUAGE_CODE):
        subject = _("Your application draft")
    _send("resume", subject, application, {})


def send_confirmation(*, application_id: int, resubmitted: bool) -> None:
    """To the contact: the application was received, with a summary of the answers."""
    from .selectors import submission_summary

    application = Application.objects.select_related("call").get(pk=application_id)
    submission = application.submissions.filter(submitted_at__isnull=False).latest("stage__number")
    with override(settings.LANGUAGE_CODE):
        subject = _("Application updated") if resubmitted else _("Application received")
        summary = submission_summary(submission=submission)
    _send(
        "confirmation",
        subject,
        application,
        {"submission": submission, "summary": summary, "resubmitted": resubmitted},
    )


def send_invitation(*, application_id: int) -> None:
    """To the contact: invited to the second stage, with the link to it."""
    application = Application.objects.select_related("call").get(pk=application_id)
    stage = application.call.stages.filter(number=2).first()
    with override(settings.LANGUAGE_CODE):
        subject = _("Invitation to the second stage")
    _send("invitation", subject, application, {"stage": stage})


def send_withdrawal(*, application_id: int) -> None:
    """To the contact: the application was withdrawn."""
    application = Application.objects.select_related("call").get(pk=application_id)
    with override(settings.LANGUAGE_CODE):
        subject = _("Application withdrawn")
    _send("withdrawn", subject, application, {})
