from django_tasks import task

from . import notifications, services


@task()
def send_due_surveys() -> int:
    return services.surveys_send_due()


@task()
def send_due_reminders() -> int:
    return services.surveys_send_due_reminders()


@task()
def send_invitation_mail(*, invitation_id: int) -> None:
    notifications.send_invitation(invitation_id=invitation_id)


@task()
def send_reminder_mail(*, invitation_id: int) -> None:
    notifications.send_invitation(invitation_id=invitation_id, reminder=True)
