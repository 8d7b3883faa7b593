from django_tasks import task


@task()
def run_import_job(job_id: str) -> int:
    """Commit an import in the background; returns the number of rows read."""
    from .services import import_job_run

    summary = import_job_run(job_id=job_id)
    return summary.rows if summary else 0
