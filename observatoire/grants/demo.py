"""The follow-up of the demo call « Incubateur ODD 2026 »: its nine laureates' agreements,
payment schedules, first payments, reports due (one late), projects and community of practice.

Runs last among the demos (see `organizations.demo.load_app_demos`), after the calls demo (the
call and its applications) and the selection demo (committees, nine laureates with amounts);
without laureates it does nothing. Dates follow the last committee's.
"""

import datetime
import random
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.calls.models import Application, Call
from observatoire.selection.models import Committee

from . import services
from .models import Grant, ReportDue

CALL_TITLE = "Incubateur ODD 2026"
# Shares of the amount granted paid at each instalment, with the condition each waits for.
SCHEDULES = [
    [(Decimal("0.5"), "à la signature"), (Decimal("0.5"), "sur rapport final")],
    [
        (Decimal("0.5"), "à la signature"),
        (Decimal("0.3"), "sur rapport intermédiaire"),
        (Decimal("0.2"), "sur rapport final"),
    ],
]
PAID_FIRST_INSTALMENT = 7  # of the nine laureates; the last two are still waiting for theirs


def _instalments(amount: Decimal, schedule) -> list[tuple[Decimal, str]]:
    parts = [
        ((amount * share).quantize(Decimal("1"), ROUND_DOWN), cond) for share, cond in schedule
    ]
    # The last instalment takes the rounding, so the schedule adds up to the amount granted.
    last_share, last_condition = parts[-1]
    parts[-1] = (amount - sum(p for p, _ in parts[:-1]), last_condition)
    return parts


def load_demo(*, seed: int) -> list[Grant]:
    call = Call.objects.filter(title=CALL_TITLE).first()
    if call is None or Grant.objects.filter(application__call=call).exists():
        return []
    laureates = list(
        call.applications.filter(status=Application.Status.LAUREATE)
        .exclude(organization=None)
        .select_related("organization")
        .order_by("pk")
    )
    if not laureates:
        return []
    rng = random.Random(seed)
    today = timezone.localdate()
    staff = get_user_model().objects.filter(role=Role.STAFF, is_active=True).order_by("pk").first()
    last_committee = Committee.objects.filter(call=call).order_by("-held_on").first()
    decided_on = last_committee.held_on if last_committee else today - datetime.timedelta(days=90)
    grants = []
    for number, application in enumerate(laureates, start=1):
        grant = services.grant_open(application=application, user=staff)
        # Signed within a few weeks of the committee, and never in the future.
        signed_on = min(decided_on + datetime.timedelta(days=rng.randint(3, 12)), today)
        services.agreement_save(
            grant=grant, reference=f"IODD-2026-{number:02d}", signed_on=signed_on
        )
        schedule = SCHEDULES[number % 2]
        instalments = []
        for index, (amount, condition) in enumerate(_instalments(grant.amount, schedule)):
            # The first instalment is due at the signature, the next ones every six months.
            expected_on = signed_on + datetime.timedelta(days=180 * index)
            instalments.append(
                services.instalment_add(
                    grant=grant, expected_on=expected_on, amount=amount, condition=condition
                )
            )
        first = instalments[0]
        if number <= PAID_FIRST_INSTALMENT and first.expected_on <= today:
            services.payment_record(
                grant=grant,
                paid_on=first.expected_on,
                amount=first.amount,
                instalment=first,
                note="Virement",
                user=staff,
            )
        # The first laureate is late with its interim report; the others have it ahead.
        interim_on = (
            today - datetime.timedelta(days=12)
            if number == 1
            else today + datetime.timedelta(days=20 + 7 * number)
        )
        interim = services.report_due_add(
            grant=grant, kind=ReportDue.Kind.INTERIM, due_on=interim_on
        )
        if number == 1:
            # Its reminder before the due date went out: the history shows it, nobody is mailed.
            interim.reminded_at = [
                {
                    "stage": "before",
                    "at": (timezone.now() - datetime.timedelta(days=20)).isoformat(),
                }
            ]
            interim.save(update_fields=["reminded_at"])
        services.report_due_add(
            grant=grant,
            kind=ReportDue.Kind.FINAL,
            due_on=signed_on + datetime.timedelta(days=365),
        )
        services.project_create(grant=grant, user=staff)
        grants.append(grant)
    services.community_join(call=call, user=staff, on=today)
    return grants
