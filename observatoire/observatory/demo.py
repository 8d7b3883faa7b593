"""The year before the demo year, so that the dashboard compares two periods of activity.

The other apps' demos fill the last twelve months. This adds, in the twelve months before
them (never inside them, whose figures the other demos' tests check): trainings with their
satisfaction surveys, group meetings and network news. Support sessions are left to the
support demo, whose test counts every session of the register.
"""

import dataclasses
import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from observatoire.events import demo as events_demo
from observatoire.events.models import Event
from observatoire.news.models import NewsItem
from observatoire.organizations.models import PersonEmail
from observatoire.surveys import demo as surveys_demo

# How much earlier than the demo year's events their previous edition took place.
SHIFT_DAYS = 385
PARTNER_DOMAIN = "@partenaires.example.org"
ARCHIVE = "archive-"

NEWS = [
    ("Retour sur l'assemblée générale", "Bilan de l'année, nouveau conseil d'administration."),
    ("Festival des solidarités : le programme", "Quarante animations dans toute la région."),
    ("Appel à projets jeunesse : les lauréats", "Six projets de jeunes soutenus par le réseau."),
    ("Nouveau groupe pays Madagascar", "Les structures qui agissent à Madagascar se réunissent."),
    ("Les ODD dans les territoires : la synthèse", "Ce que les collectivités ont partagé."),
]


class _PreviousYear(events_demo._Builder):
    """The events demo's builder, reusing the partners abroad the events demo created."""

    def _partners(self) -> dict[str, list]:
        people = {
            email.address: email.person
            for email in PersonEmail.objects.select_related("person").filter(
                address__endswith=PARTNER_DOMAIN
            )
        }
        partners: dict[str, list] = {}
        for first, last, organization, iso2, zone in events_demo.PARTNERS:
            address = f"{slugify(first)}.{slugify(last)}{PARTNER_DOMAIN}"
            if address in people:
                partners.setdefault(iso2, []).append((people[address], organization, address, zone))
        return partners


def _earlier(plan: events_demo.Plan, rng: random.Random) -> events_demo.Plan:
    participants = max(2, round(plan.participants * rng.uniform(0.7, 1.1)))
    foreign = plan.foreign[: max(0, participants - 1)]
    return dataclasses.replace(
        plan,
        days_ago=plan.days_ago + SHIFT_DAYS + rng.randint(0, 20),
        participants=participants,
        foreign=foreign,
    )


def load_demo(*, seed: int) -> None:
    """Trainings, meetings and news of the twelve months before the demo year."""
    rng = random.Random(seed + 707)
    # Once only, and on top of the events demo.
    if not Event.objects.exists() or NewsItem.objects.filter(slug__startswith=ARCHIVE).exists():
        return
    with transaction.atomic():
        builder = _PreviousYear(seed + 707)
        if not builder.partners:
            return
        past = [p for p in events_demo.MEETINGS + events_demo.TRAININGS if p.days_ago > 0]
        # One edition in five did not take place the year before.
        for plan in past:
            if rng.random() < 0.8:
                builder.build(_earlier(plan, rng))
        now = timezone.now()
        for index, (title, summary) in enumerate(NEWS):
            published_at = now - datetime.timedelta(days=SHIFT_DAYS + 30 + 60 * index)
            NewsItem.objects.create(
                title=title,
                slug=f"{ARCHIVE}{published_at:%Y-%m}-{index}",
                summary=summary,
                body=summary + "\n\nL'équipe du réseau.",
                language="fr",
                is_published=True,
                published_at=published_at,
            )
    surveys_demo.load_demo_surveys(seed=seed + 707)
