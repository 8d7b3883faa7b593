from django_tasks import task


@task()
def build_register_export(export_id: str) -> int:
    """Build a large export in the background and e-mail its author; returns the row count."""
    from .services import register_export_build

    return register_export_build(export_id=export_id)
