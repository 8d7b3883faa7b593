"""Helpers shared by the benchmark scripts: percentiles, the machine description, result files."""

import json
import os
import platform
import sqlite3
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank, no interpolation)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def machine() -> dict:
    """CPU, cores, RAM, platform and versions; the database's when Django is set up."""
    memory = ""
    try:
        with open("/proc/meminfo") as file:
            kilobytes = int(file.readline().split()[1])
        memory = f"{kilobytes / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as file:
            cpu = next(line.split(":", 1)[1].strip() for line in file if "model name" in line)
    except (OSError, StopIteration):
        pass
    description = {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    try:
        import django
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SELECT version()"
            )
            version = cursor.fetchone()[0]
        description.update(
            django=django.get_version(),
            database_vendor=connection.vendor,
            database_version=version,
        )
    except Exception:  # noqa: BLE001  (Django not set up: the description stays without it)
        pass
    return description


def write_json(path: Path, record: dict) -> Path:
    """Write a result file (UTF-8, indented), creating its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return path
