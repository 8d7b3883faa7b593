"""The transactional mails of the lists, in the site's language, sent after the commit."""

import contextlib
import contextvars

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Subscription

_muted = contextvars.ContextVar("newsletters_mails_muted", default=False)


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


def confirm_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("newsletters:confirm", args=[token])


def send_confirmation(*, token: str) -> None:
    """To the address that subscribed: the link confirming the lists it chose."""
    subscriptions = list(
        Subscription.objects.filter(token=token, status=Subscription.Status.PENDING)
        .select_related("mailing_list")
        .order_by("mailing_list__name")
    )
    if not subscriptions:
        return
    first = subscriptions[0]
    with override(settings.LANGUAGE_CODE):
        body = render_to_string(
            "newsletters/emails/confirm.txt",
            {
                "network_name": settings.NETWORK_NAME,
                "first_name": first.first_name,
                "lists": [s.mailing_list for s in subscriptions],
                "link": confirm_url(token),
                "hours": settings.NEWSLETTERS_CONFIRMATION_HOURS,
            },
        )
        EmailMessage(
            subject=f"[{settings.NETWORK_NAME}] {_('Confirm your subscription')}",
            body=body,
            to=[first.address],
            reply_to=[settings.NETWORK_CONTACT_EMAIL],
        ).send()
