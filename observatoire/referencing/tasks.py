from django_tasks import task

from . import services


@task()
def purge_unconfirmed_requests() -> int:
    return services.referencing_requests_purge_unconfirmed()
