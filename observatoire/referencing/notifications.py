"""The e-mails of the referencing workflow, in the site's language, sent after the commit."""

import contextlib
import contextvars

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from observatoire.accounts.models import REGISTER_EDITOR_ROLES

from .models import ReferencingRequest
from .tokens import CONFIRM, FOLLOW, request_token

_muted = contextvars.ContextVar("referencing_mails_muted", default=False)


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


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def confirm_url(referencing_request: ReferencingRequest) -> str:
    token = request_token(referencing_request, CONFIRM)
    return absolute_url(reverse("referencing:confirm", args=[token]))


def follow_path(referencing_request: ReferencingRequest) -> str:
    return reverse("referencing:follow", args=[request_token(referencing_request, FOLLOW)])


def follow_url(referencing_request: ReferencingRequest) -> str:
    return absolute_url(follow_path(referencing_request))


def _send(template: str, subject: str, recipients: list[str], context: dict) -> None:
    if _muted.get():
        return
    context = {"network_name": settings.NETWORK_NAME, **context}
    body = render_to_string(f"referencing/emails/{template}.txt", context)
    # Answers reach the network's team rather than the no-reply sender.
    EmailMessage(
        subject=f"[{settings.NETWORK_NAME}] {subject}",
        body=body,
        to=recipients,
        reply_to=[settings.NETWORK_CONTACT_EMAIL],
    ).send()


def send_confirmation_link(*, request_id: int) -> None:
    """To the requester: the link confirming their e-mail address."""
    referencing_request = ReferencingRequest.objects.get(pk=request_id)
    with override(settings.LANGUAGE_CODE):
        _send(
            "confirm",
            _("Confirm your referencing request"),
            [referencing_request.requester_email],
            {
                "request": referencing_request,
                "link": confirm_url(referencing_request),
                "days": settings.REFERENCING_CONFIRMATION_DAYS,
            },
        )


def send_follow_link(*, request_id: int) -> None:
    """To the requester, once confirmed: the link to see and complete the request."""
    referencing_request = ReferencingRequest.objects.get(pk=request_id)
    with override(settings.LANGUAGE_CODE):
        _send(
            "received",
            _("Your referencing request no. %(number)s is received")
            % {"number": referencing_request.pk},
            [referencing_request.requester_email],
            {"request": referencing_request, "link": follow_url(referencing_request)},
        )


def staff_recipients() -> list[str]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True, role__in=REGISTER_EDITOR_ROLES)
    return sorted(set(users.values_list("email", flat=True)))


def notify_staff(*, request_id: int, event: str) -> None:
    """To staff and administrators: a request entered the queue or was completed."""
    referencing_request = ReferencingRequest.objects.get(pk=request_id)
    recipients = staff_recipients()
    if not recipients:
        return
    with override(settings.LANGUAGE_CODE):
        if event == "completed":
            subject = _("Referencing request no. %(number)s completed by the requester")
        else:
            subject = _("New referencing request no. %(number)s")
        _send(
            "staff",
            subject % {"number": referencing_request.pk},
            recipients,
            {
                "request": referencing_request,
                "event": event,
                "link": absolute_url(
                    reverse(
                        "admin:referencing_referencingrequest_change",
                        args=[referencing_request.pk],
                    )
                ),
            },
        )


def send_state_mail(*, request_id: int) -> None:
    """To the requester: staff asked for information, qualified or rejected the request."""
    referencing_request = ReferencingRequest.objects.select_related("organization").get(
        pk=request_id
    )
    State = ReferencingRequest.State
    with override(settings.LANGUAGE_CODE):
        subjects = {
            State.WAITING: _("Your referencing request no. %(number)s: information needed"),
            State.QUALIFIED: _("Your organisation is referenced (request no. %(number)s)"),
            State.REJECTED: _("Your referencing request no. %(number)s was not accepted"),
        }
        if referencing_request.state not in subjects:
            return
        _send(
            f"state_{referencing_request.state}",
            subjects[referencing_request.state] % {"number": referencing_request.pk},
            [referencing_request.requester_email],
            {"request": referencing_request, "link": follow_url(referencing_request)},
        )
