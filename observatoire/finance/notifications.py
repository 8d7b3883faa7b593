"""The reminder of a report due to a funder, in the site's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import ReportingObligation


def send_obligation_reminder(
    *, obligation: ReportingObligation, stage: str, recipients: list[str]
) -> None:
    """To the project's team: a report is due soon ("before") or late ("overdue")."""
    project = obligation.application.project
    with override(settings.LANGUAGE_CODE):
        if stage == "overdue":
            subject = _("Report overdue: %(title)s") % {"title": obligation.title}
        else:
            subject = _("Report due on %(date)s: %(title)s") % {
                "date": obligation.due_on.strftime("%d/%m/%Y"),
                "title": obligation.title,
            }
        body = render_to_string(
            "finance/emails/obligation_reminder.txt",
            {
                "network_name": settings.NETWORK_NAME,
                "obligation": obligation,
                "project": project,
                "funder": obligation.application.funder,
                "stage": stage,
                "link": settings.SITE_URL.rstrip("/")
                + reverse("finance:applications", args=[project.pk]),
            },
        )
        EmailMessage(
            subject=f"[{settings.NETWORK_NAME}] {subject}",
            body=body,
            to=recipients,
            reply_to=[settings.NETWORK_CONTACT_EMAIL],
        ).send()
