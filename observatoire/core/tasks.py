from django_tasks import task


@task()
def healthcheck_task() -> str:
    """Return "ok": the worker health check (`manage.py worker_healthcheck`) enqueues it."""
    return "ok"
