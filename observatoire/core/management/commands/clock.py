import time

from django.core.management.base import BaseCommand

from observatoire.core import periodic


class Command(BaseCommand):
    help = (
        "Enqueue the recurring tasks (event reminders, satisfaction surveys...) when they are due; "
        "the worker (db_worker) runs them. Keep one clock running beside the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="enqueue every registered task once and stop"
        )
        parser.add_argument(
            "--interval", type=float, default=30.0, help="seconds between two checks (default 30)"
        )

    def handle(self, *args, once=False, interval=30.0, **options):
        last_enqueued = {}
        while True:
            for name in periodic.enqueue_due(last_enqueued):
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
