"""Time sending a campaign: materialising the deliveries, then the sending rate over SMTP.

    .venv/bin/python bench/bench_campaigns.py                        # 5,000 then 20,000
    .venv/bin/python bench/bench_campaigns.py --recipients 5000

For each size, on a fresh SQLite database (`bench/var/campaigns-bench.sqlite3`, migrated):
N confirmed subscribers on two lists (a tenth on both, half of them accepting measurement), one
campaign with a personalised body, then
- materialisation: `services.deliveries_materialize` (recipients streamed from the newsletters'
  `recipients()`, one delivery per address, bulk inserts);
- sending: the real task `send_campaign` run in this process, rate limit off
  (`CAMPAIGNS_RATE_PER_MINUTE = 0`), batches of `CAMPAIGNS_BATCH_SIZE` over one SMTP connection,
  to an aiosmtpd server on loopback that counts what it receives.
Prints seconds and messages per second, and checks every address got exactly one copy.
"""

import argparse
import logging
import os
import socket
import sys
import time
from collections import Counter
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
DATABASE = BENCH_DIR / "var" / "campaigns-bench.sqlite3"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", "-n", type=int, action="append")
    parser.add_argument("--batch-size", type=int, default=100)
    return parser.parse_args(argv)


class CountingHandler:
    def __init__(self):
        self.copies: Counter = Counter()

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.copies[address] += 1
        return "250 OK"


def setup_django() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    DATABASE.parent.mkdir(exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ["DATA_DIR"] = str(BENCH_DIR / "var")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def run(size: int, batch_size: int) -> dict:
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from observatoire.campaigns import services
    from observatoire.campaigns.models import Campaign
    from observatoire.campaigns.tasks import send_campaign
    from observatoire.newsletters.models import MailingList, Subscription

    settings.DEBUG = False
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    from django.db import connections

    connections.close_all()
    call_command("migrate", verbosity=0)

    lists = [MailingList.objects.create(name=f"Liste {n}", slug=f"liste-{n}") for n in (1, 2)]
    now = timezone.now()
    rows = [
        Subscription(
            mailing_list=mailing_list,
            address=f"r{number:06d}@example.org",
            first_name="Awa",
            status="confirmed",
            source="import",
            consent_wording="Oui",
            consented_at=now,
            confirmed_at=now,
            tracking_allowed=number % 2 == 0,
        )
        for number in range(size)
        for mailing_list in lists[: 2 if number % 10 == 0 else 1]
    ]
    Subscription.objects.bulk_create(rows, batch_size=2000)
    campaign = services.campaign_save(
        campaign=Campaign(
            name="Bench",
            subject="La lettre",
            body_html='<p>Bonjour {{ prenom }}, <a href="https://example.org/a">lire</a></p>',
        ),
        lists=lists,
    )

    handler = CountingHandler()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.CAMPAIGNS_RATE_PER_MINUTE = 0
    settings.CAMPAIGNS_BATCH_SIZE = batch_size
    try:
        started = time.perf_counter()
        materialized = services.deliveries_materialize(campaign=campaign)
        materialize_seconds = time.perf_counter() - started
        Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENDING)
        started = time.perf_counter()
        send_campaign.call(campaign.pk)
        send_seconds = time.perf_counter() - started
    finally:
        controller.stop()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENT, campaign.status
    assert len(handler.copies) == size and set(handler.copies.values()) == {1}
    return {
        "recipients": size,
        "materialized": materialized,
        "materialize_s": materialize_seconds,
        "send_s": send_seconds,
        "rate": size / send_seconds,
    }


def main(argv=None) -> None:
    args = parse_args(argv)
    setup_django()
    for size in args.recipients or [5000, 20000]:
        result = run(size, args.batch_size)
        print(
            f"{result['recipients']:>7} recipients: materialise {result['materialize_s']:6.2f} s, "
            f"send {result['send_s']:7.2f} s = {result['rate']:6.1f} messages/s "
            f"(batch {args.batch_size}, rate limit off), one copy each: OK"
        )


if __name__ == "__main__":
    main()
