from django_tasks import task


@task()
def find_duplicates_task() -> int:
    """Scan the register for duplicates in the background; returns the number of pairs found."""
    from .services import duplicates_find

    return duplicates_find().found
