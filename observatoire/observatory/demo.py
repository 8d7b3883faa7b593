"""The year before the demo year, so that the dashboard compares two periods of activity.

The other apps' demos fill the last twelve months. This adds, in the twelve months before
them (never inside them, whose figures the other demos' tests check): trainings with their
satisfaction surveys, group meetings, network news, support sessions and referencing requests
(qualified and rejected), so that last year's annual report is not empty either.
"""

import dataclasses
import datetime
import random

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from observatoire.accounts.models import REGISTER_EDITOR_ROLES
from observatoire.events import demo as events_demo
from observatoire.events.models import Event
from observatoire.news.models import NewsItem
from observatoire.organizations.models import Organization, PersonEmail
from observatoire.referencing import demo as referencing_demo
from observatoire.referencing import notifications as referencing_notifications
from observatoire.referencing import services as referencing_services
from observatoire.referencing.models import ReferencingRequest
from observatoire.support import demo as support_demo
from observatoire.surveys import demo as surveys_demo

# How much earlier than the demo year's events their previous edition took place.
SHIFT_DAYS = 385
PARTNER_DOMAIN = "@partenaires.example.org"
ARCHIVE = "archive-"

# Requests of the year before: (name, kind slug, INSEE code, themes, countries, SDGs, qualified).
PREVIOUS_REQUESTS = [
    ("Association Sahel Vert Landes", "association", "40192", ["agriculture"], ["BF"], [2], True),
    ("Amitié Périgord Haïti", "association", "24322", ["education"], ["HT"], [4], True),
    ("Collectif Lot-et-Garonne Palestine", "association", "47001", ["health"], ["PS"], [3], True),
    ("Comité de jumelage Cognac–Ziguinchor", "twinning-committee", "16102", ["culture"], ["SN"],
     [17], True),
    ("Médecins Solidaires Pau", "association", "64445", ["health"], ["MG"], [3], True),
    ("Les Puits de l'Espoir Poitou", "association", "86194", ["water-sanitation"], ["NE"],
     [6], True),
    ("Bordeaux Bénin Échanges", "association", "33063", ["youth-mobility"], ["BJ"], [4], True),
    ("Atelier Vélo Solidaire Brive", "association", "19031", ["economic-development"], ["CM"],
     [8], False),
    ("Les Amis de Kaolack", "association", "17300", ["education"], ["SN"], [4], False),
    ("Femmes d'Ici et d'Ailleurs Limoges", "association", "87085", ["gender-equality"], ["ML"],
     [5], True),
]  # fmt: skip
# Support sessions the year before (the support demo holds 47 in the demo year).
PREVIOUS_SESSIONS = 38

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
        _previous_support(rng)
        _previous_referencing(rng)
    surveys_demo.load_demo_surveys(seed=seed + 707)


def _staff() -> list:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(role__in=REGISTER_EDITOR_ROLES, is_active=True)
        .order_by("pk")
    )


def _previous_support(rng: random.Random) -> None:
    """Support sessions in the twelve months before the demo year, with the support demo's
    subjects, help and follow-ups."""
    staff = _staff()
    organizations = list(
        Organization.objects.qualified()
        .order_by("pk")
        .prefetch_related("countries", "themes", "affiliations__person")
    )
    if not staff or len(organizations) < 20:
        return
    today = timezone.localdate()
    visited = rng.sample(organizations, 22)
    visits = visited + rng.choices(visited[:10], k=PREVIOUS_SESSIONS - len(visited))
    for organization in visits:
        occurred_on = today - datetime.timedelta(days=rng.randint(372, 725))
        support_demo._session(rng, organization, occurred_on, staff, today)


def _previous_referencing(rng: random.Random) -> None:
    """Requests received and decided in the twelve months before the demo year: most were
    qualified (their organisations then joined the directory), a few rejected."""
    staff = _staff()
    if not staff:
        return
    now = timezone.now()
    with referencing_notifications.muted():
        for index, (*spec, qualified) in enumerate(PREVIOUS_REQUESTS):
            received = now - datetime.timedelta(days=rng.randint(400, 700))
            decided = received + datetime.timedelta(days=rng.randint(5, 30))
            request = referencing_services.referencing_request_submit(
                data=referencing_demo._data(rng, *spec),
                contacts=[referencing_demo._contact(rng, 100 + index)],
                requester_email=f"demande.archive.{index}@example.org",
            )
            referencing_services.referencing_request_confirm(referencing_request=request)
            if qualified:
                organization = referencing_services.referencing_request_qualify(
                    referencing_request=request, by=rng.choice(staff)
                )
                # Its history says when it joined the directory: the figures read it there.
                Organization.history.filter(id=organization.pk).update(history_date=decided)
                Organization.objects.filter(pk=organization.pk).update(created_at=decided)
            else:
                referencing_services.referencing_request_reject(
                    referencing_request=request,
                    reason="Votre projet est encore à l'étude : revenez vers nous quand un "
                    "partenariat sera engagé.",
                    by=rng.choice(staff),
                )
            ReferencingRequest.objects.filter(pk=request.pk).update(
                created_at=received, email_confirmed_at=received, decided_at=decided
            )
