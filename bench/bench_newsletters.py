"""Time the resolution of a campaign's recipients and a list's export.

    .venv/bin/python bench/bench_newsletters.py                 # 20,000 subscribers
    .venv/bin/python bench/bench_newsletters.py -n 100000 --contacts 4000

Builds once, in `bench/var/newsletters-N-C.sqlite3`, a newsletter of N confirmed subscribers, a
second list sharing a fifth of them, 1 % of the addresses suppressed, and C local authorities of
Gironde with a consenting main contact (the dynamic list). Measured, p50 and max in seconds:
`selectors.recipients` over the three lists (streamed to the end), the Brevo export of the
newsletter, and the number of queries of one resolution.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent
CHUNK = 5000


def build(n: int, contacts: int) -> None:
    from django.utils import timezone

    from observatoire.newsletters.models import MailingList, Subscription, Suppression
    from observatoire.organizations.models import (
        Affiliation,
        Consent,
        Organization,
        Person,
        PersonEmail,
    )
    from observatoire.referentials.models import Departement, OrganizationKind, Theme

    now = timezone.now()
    letter = MailingList.objects.create(name="Lettre", slug="lettre", is_public=True)
    calls = MailingList.objects.create(
        name="Appels", slug="appels", purpose="mailings", is_public=True
    )

    def subscription(mailing_list, i):
        return Subscription(
            mailing_list=mailing_list,
            address=f"abonne{i}@courriel.example",
            status="confirmed",
            source="import",
            consent_wording="oui",
            consented_at=now,
        )

    for first in range(0, n, CHUNK):
        rows = [subscription(letter, i) for i in range(first, min(n, first + CHUNK))]
        rows += [subscription(calls, i) for i in range(first, min(n, first + CHUNK), 5)]
        Subscription.objects.bulk_create(rows)
    Suppression.objects.bulk_create(
        Suppression(address=f"abonne{i}@courriel.example", reason="hard_bounce")
        for i in range(0, n, 100)
    )
    gironde = Departement.objects.get(code="33")
    water = Theme.objects.get(slug="water-sanitation")
    kind = OrganizationKind.objects.get(slug="commune")
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Commune {i}", kind=kind, departement=gironde) for i in range(contacts)
    )
    Organization.themes.through.objects.bulk_create(
        Organization.themes.through(organization_id=o.pk, theme_id=water.pk) for o in organizations
    )
    people = Person.objects.bulk_create(
        Person(first_name="Élu", last_name=str(i)) for i in range(contacts)
    )
    PersonEmail.objects.bulk_create(
        PersonEmail(person=p, address=f"elu{p.pk}@mairie.example", is_primary=True) for p in people
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=p, organization=o, is_main_contact=True)
        for p, o in zip(people, organizations, strict=True)
    )
    Consent.objects.bulk_create(
        Consent(
            person=p, purpose="mailings", granted=True, given_at=now, source="form", wording="o"
        )
        for p in people
    )
    MailingList.objects.create(
        name="Gironde eau",
        slug="gironde-eau",
        purpose="mailings",
        kind="dynamic",
        filter_query=f"family=local_authority&departement={gironde.pk}&theme={water.pk}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", "-n", type=int, default=20_000)
    parser.add_argument("--contacts", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    var = BENCH_DIR / "var"
    var.mkdir(exist_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        DATA_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / f'newsletters-{args.subscribers}-{args.contacts}.sqlite3'}",
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from observatoire.newsletters.exports import export_csv
    from observatoire.newsletters.models import MailingList
    from observatoire.newsletters.selectors import recipients

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    if not MailingList.objects.exists():
        started = time.perf_counter()
        build(args.subscribers, args.contacts)
        print(f"built in {time.perf_counter() - started:.1f} s")
    lists = list(MailingList.objects.all())
    letter = MailingList.objects.get(slug="lettre")

    def timed(function) -> list[float]:
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            function()
            times.append(time.perf_counter() - started)
        return times

    count = sum(1 for _ in recipients(lists=lists))
    with CaptureQueriesContext(connection) as context:
        sum(1 for _ in recipients(lists=lists))
    resolve = timed(lambda: sum(1 for _ in recipients(lists=lists)))
    export = timed(lambda: export_csv(file_format="brevo", recipients=recipients(lists=[letter])))
    print(f"recipients: {count} addresses over {len(lists)} lists, {len(context)} queries")
    print(f"resolve: p50 {statistics.median(resolve):.2f} s, max {max(resolve):.2f} s")
    print(f"export (Brevo): p50 {statistics.median(export):.2f} s, max {max(export):.2f} s")


if __name__ == "__main__":
    main()
