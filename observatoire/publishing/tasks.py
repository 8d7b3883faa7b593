from django_tasks import task

from .services import submission_notify


@task()
def send_submission_mail(*, submission_id: int, status: str, message: str = "") -> None:
    submission_notify(submission_id=submission_id, status=status, message=message)
