"""Recurring background work: the `clock` process enqueues registered tasks on the worker's queue.

django-tasks runs what is enqueued but has no schedule. Apps register the sweeps they need
(reminders before an event, satisfaction surveys after it, digests) in `AppConfig.ready()`:

    from observatoire.core import periodic
    periodic.register(send_due_reminders, every=datetime.timedelta(minutes=5))

`manage.py clock` enqueues each one when its interval has elapsed; the worker runs them. A sweep
must be idempotent (it records what it sent), so a restart of the clock that enqueues every sweep
at once, or two clocks by mistake, never sends anything twice.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class PeriodicTask:
    task: object  # a django_tasks Task
    every: datetime.timedelta

    @property
    def name(self) -> str:
        return self.task.module_path


_registry: dict[str, PeriodicTask] = {}


def register(task, *, every: datetime.timedelta):
    entry = PeriodicTask(task=task, every=every)
    _registry[entry.name] = entry
    return task


def registered() -> list[PeriodicTask]:
    return sorted(_registry.values(), key=lambda entry: entry.name)


def enqueue_due(last_enqueued: dict[str, datetime.datetime], now=None) -> list[str]:
    """Enqueue every task whose interval has elapsed since `last_enqueued` (updated in place)."""
    now = now or timezone.now()
    enqueued = []
    for entry in registered():
        previous = last_enqueued.get(entry.name)
        if previous is None or now - previous >= entry.every:
            entry.task.enqueue()
            last_enqueued[entry.name] = now
            enqueued.append(entry.name)
    return enqueued
