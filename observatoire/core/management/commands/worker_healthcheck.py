import time

from django.core.management.base import BaseCommand, CommandError
from django_tasks import TaskResultStatus

from observatoire.core.tasks import healthcheck_task


class Command(BaseCommand):
    help = (
        "Enqueue the health-check task and wait for a background worker to run it: "
        "exits non-zero when no worker has run it in time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout", type=float, default=30.0, help="Seconds to wait (default: 30)."
        )

    def handle(self, *args, timeout: float, **options):
        result = healthcheck_task.enqueue()
        deadline = time.monotonic() + timeout
        while True:
            if result.status == TaskResultStatus.SUCCESSFUL:
                self.stdout.write(f"worker ok: task {result.id} returned {result.return_value!r}")
                return
            if result.status == TaskResultStatus.FAILED:
                raise CommandError(f"health-check task {result.id} failed: {result.errors}")
            if time.monotonic() > deadline:
                raise CommandError(
                    f"no worker ran health-check task {result.id} within {timeout:g} s "
                    f"(status {result.status}): is `manage.py db_worker` running?"
                )
            time.sleep(0.2)
            result.refresh()
