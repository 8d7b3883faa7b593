from django_tasks import task

from .services import submission_notify


@task()
def send_submission_decision(*, submission_id: int) -> None:
    submission_notify(submission_id=submission_id)
