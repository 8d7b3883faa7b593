"""Exactly once across a crash: a real `db_worker` sends a 5,000-recipient campaign to a real SMTP
server, is killed (SIGKILL) halfway, and a new worker finishes the job.

The test process runs the SMTP server and counts copies per address; the workers are separate
processes on a file SQLite database, as in production.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from .smtp import free_port

ROOT = Path(__file__).resolve().parents[3]
RECIPIENTS = 5000

SETUP = f"""
from django.utils import timezone
from observatoire.campaigns import services
from observatoire.campaigns.models import Campaign
from observatoire.newsletters.models import MailingList, Subscription

lists = [MailingList.objects.create(name=f"Liste {{n}}", slug=f"liste-{{n}}") for n in (1, 2)]
now = timezone.now()
rows = []
for number in range({RECIPIENTS}):
    # A tenth of the addresses are on both lists: they must still get one copy.
    for mailing_list in lists[: 2 if number % 10 == 0 else 1]:
        rows.append(Subscription(
            mailing_list=mailing_list, address=f"r{{number:05d}}@example.org",
            status="confirmed", source="import", consent_wording="Oui",
            consented_at=now, confirmed_at=now, tracking_allowed=number % 2 == 0,
        ))
Subscription.objects.bulk_create(rows, batch_size=2000)
body = "<p>Bonjour {{{{ prenom }}}}</p>"
campaign = services.campaign_save(
    campaign=Campaign(name="Lettre", subject="La lettre", body_html=body), lists=lists
)
services.campaign_schedule(campaign=campaign, at=None)
"""
RESEND_UNCERTAIN = """
from observatoire.campaigns import services
from observatoire.campaigns.models import Campaign
services.deliveries_resend_uncertain(campaign=Campaign.objects.get())
"""
SWEEP = "from observatoire.campaigns.tasks import sweep_campaigns; sweep_campaigns.enqueue()"


class CountingHandler:
    def __init__(self):
        self.copies: Counter = Counter()

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.copies[address] += 1
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


@pytest.fixture
def env(tmp_path, smtp):
    controller, _handler = smtp
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "SITE_URL": "https://reseau.example.org",
        "CAMPAIGNS_RATE_PER_MINUTE": "0",
        "CAMPAIGNS_BATCH_SIZE": "200",
        "CAMPAIGNS_LEASE_SECONDS": "3",
    }
    manage(env, "migrate", "--no-input", "-v", "0", timeout=180)
    return env


def manage(env, *args, timeout=120):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload",
         "--interval", "0.2"],  # fmt: skip
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def query(env, sql):
    path = env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path, timeout=30) as connection:
        return connection.execute(sql).fetchall()


def wait_until(condition, *, timeout=600, what=""):
    # A cap on waiting on a loaded machine, not a speed check.
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"still waiting: {what}"
        time.sleep(0.2)


def campaign_status(env) -> str:
    return query(env, "SELECT status FROM campaigns_campaign")[0][0]


def test_a_killed_worker_restarted_sends_each_recipient_exactly_one_copy(env, smtp):
    _controller, handler = smtp
    manage(env, "shell", "-c", SETUP, timeout=300)

    first = start_worker(env)
    try:
        wait_until(lambda: sum(handler.copies.values()) >= RECIPIENTS // 2, what="half sent")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    received_before_restart = sum(handler.copies.values())
    assert received_before_restart < RECIPIENTS

    second = start_worker(env)
    try:
        time.sleep(3.5)  # the dead run's lease expires; the clock's sweep resumes the campaign
        manage(env, "shell", "-c", SWEEP)
        wait_until(lambda: campaign_status(env) == "sent", what="campaign sent")

        statuses = dict(query(env, "SELECT status, COUNT(*) FROM campaigns_delivery GROUP BY 1"))
        uncertain = [a for (a,) in query(
            env, "SELECT address FROM campaigns_delivery WHERE status = 'uncertain'"
        )]  # fmt: skip
        # Nothing was sent twice, and nothing is left half-done or silently dropped.
        assert max(handler.copies.values()) == 1
        assert statuses.get("sending", 0) == 0 and statuses.get("pending", 0) == 0
        assert statuses.get("sent", 0) + len(uncertain) == RECIPIENTS
        # At most the message in flight when the worker died is uncertain; staff see it and
        # decide. Here the server tells us whether it arrived: resend only the lost ones.
        assert len(uncertain) <= 1
        lost = [address for address in uncertain if handler.copies[address] == 0]
        if uncertain and lost:
            manage(env, "shell", "-c", RESEND_UNCERTAIN)
            wait_until(lambda: campaign_status(env) == "sent" and all(
                handler.copies[address] == 1 for address in lost
            ), what="uncertain resent")  # fmt: skip
    finally:
        second.terminate()
        second.wait(timeout=30)

    expected = {f"r{number:05d}@example.org" for number in range(RECIPIENTS)}
    assert set(handler.copies) == expected
    assert set(handler.copies.values()) == {1}
