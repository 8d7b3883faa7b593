from django_tasks import task

from . import services


@task()
def send_weekly_digests() -> int:
    return services.digest_send_weekly().sent
