from django_tasks import task

from . import notifications, services


@task()
def send_registration_mail(*, registration_id: int, kind: str) -> None:
    notifications.send_registration_mail(registration_id=registration_id, kind=kind)


@task()
def send_event_reminders() -> int:
    return services.event_reminders_send()
