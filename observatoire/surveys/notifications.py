"""The survey e-mails, in the site's language, sent by the worker once the transaction commits."""

import contextlib
import contextvars

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import SurveyInvitation

_muted = contextvars.ContextVar("survey_mails_muted", default=False)


@contextlib.contextmanager
def muted():
    """Send none of these mails: the demo data must not write to anyone."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def after_commit(send, **kwargs) -> None:
    if _muted.get():
        return
    transaction.on_commit(lambda: send(**kwargs))


def answer_url(invitation: SurveyInvitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("surveys:answer", args=[invitation.token])


def enqueue_invitation(*, invitation_id: int) -> None:
    from .tasks import send_invitation_mail

    send_invitation_mail.enqueue(invitation_id=invitation_id)


def enqueue_reminder(*, invitation_id: int) -> None:
    from .tasks import send_reminder_mail

    send_reminder_mail.enqueue(invitation_id=invitation_id)


def send_invitation(*, invitation_id: int, reminder: bool = False) -> None:
    """To a participant: the personal link to the survey of the event they took part in."""
    invitation = SurveyInvitation.objects.select_related(
        "survey__event", "survey__template", "registration__person"
    ).get(pk=invitation_id)
    if reminder and invitation.answered_at is not None:
        return
    survey = invitation.survey
    with override(settings.LANGUAGE_CODE):
        if reminder:
            subject = _("Reminder: your opinion on “%(event)s”")
        else:
            subject = _("Your opinion on “%(event)s”")
        body = render_to_string(
            "surveys/emails/invitation.txt",
            {
                "network_name": settings.NETWORK_NAME,
                "invitation": invitation,
                "person": invitation.registration.person,
                "event": survey.event,
                "template": survey.template,
                "closes_at": survey.closes_at,
                "link": answer_url(invitation),
                "reminder": reminder,
            },
        )
        EmailMessage(
            subject=f"[{settings.NETWORK_NAME}] " + subject % {"event": survey.event.title},
            body=body,
            to=[invitation.registration.email],
            reply_to=[settings.NETWORK_CONTACT_EMAIL],
        ).send()
