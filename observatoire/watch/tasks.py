from django_tasks import task

from . import collect, services


@task()
def expire_watch_items() -> int:
    return services.expire_due()


@task()
def collect_watch_feeds() -> int:
    return len(collect.collect_due_feeds())
