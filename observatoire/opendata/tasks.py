from django_tasks import task

from . import services


@task()
def publish_open_data() -> int:
    """Regenerate every open-data file (nightly, or when staff ask); return how many."""
    return len(services.open_data_publish().files)
