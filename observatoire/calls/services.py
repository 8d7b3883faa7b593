"""Writes on calls and applications: atomic, audited in the application's history."""

from django.db import transaction
from django.utils.translation import gettext as _

from . import notifications
from .models import Application, ApplicationEvent


def _record(application: Application, action: str, by=None) -> None:
    ApplicationEvent.objects.create(application=application, action=action, by=by)


@transaction.atomic
def application_invite(*, application: Application, by) -> Application:
    """Invite an application to the second stage and mail the link to it after the commit."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.status = Application.Status.INVITED
    application.stage_reached = 2
    application.save(update_fields=["status", "stage_reached", "updated_at"])
    _record(application, _("Invited to the second stage"), by)
    notifications.after_commit(notifications.send_invitation, application_id=application.pk)
    return application
