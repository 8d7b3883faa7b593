from django_tasks import task


@task()
def run_import_job(job_id: str) -> int:
    """Commit an import in the background; returns the number of rows read."""
    from .services import import_job_run

    summary = import_job_run(job_id=job_id)
    return summary.rows if summary else 0


@task()
def find_preview_matches(job_id: str, language: str) -> int:
    """Find the matches of a large file's rows for its preview; returns the rows matched."""
    from .services import import_job_find_matches

    return import_job_find_matches(job_id=job_id, language=language) or 0
