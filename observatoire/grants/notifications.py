"""The reminder of a report a laureate owes, in the site's language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import ReportDue


def send_report_reminder(*, report: ReportDue, stage: str, recipients: list[str]) -> None:
    """To the laureate's contact: a report is due soon ("before") or late ("overdue")."""
    application = report.grant.application
    with override(settings.LANGUAGE_CODE):
        names = {"kind": report.get_kind_display(), "call": application.call.title}
        if stage == "overdue":
            subject = _("%(kind)s overdue — %(call)s") % names
        else:
            subject = _("%(kind)s due on %(date)s — %(call)s") % {
                **names,
                "date": report.due_on.strftime("%d/%m/%Y"),
            }
        body = render_to_string(
            "grants/emails/report_reminder.txt",
            {
                "network_name": settings.NETWORK_NAME,
                "contact_email": settings.NETWORK_CONTACT_EMAIL,
                "report": report,
                "application": application,
                "stage": stage,
            },
        )
        EmailMessage(
            subject=f"[{settings.NETWORK_NAME}] {subject}",
            body=body,
            to=recipients,
            reply_to=[settings.NETWORK_CONTACT_EMAIL],
        ).send()
