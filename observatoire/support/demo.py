"""Demo support: 47 sessions for 27 organisations over the past year, as in a real annual report.

Called by `load_demo_network` once the register exists (see `load_app_demos`). Subjects follow
the kinds of help; some follow-ups are done, some are overdue, the rest are coming up.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from observatoire.accounts.models import REGISTER_EDITOR_ROLES
from observatoire.organizations.models import Organization

from . import services
from .models import FollowUpAction, HelpKind, SupportSession

SESSIONS = 47
ORGANIZATIONS = 27
Code = HelpKind.Code

# Subjects by the main kind of help; "{country}" is the organisation's country of intervention.
SUBJECTS = {
    Code.PROJECT_DESIGN: [
        "Montage du projet d'accès à l'eau potable ({country})",
        "Rédaction du cadre logique et des indicateurs",
        "Diagnostic partagé avec le partenaire ({country})",
        "Premier rendez-vous : présentation du projet et des besoins",
        "Budget prévisionnel et plan de financement",
    ],
    Code.FUNDING_SEARCH: [
        "Candidature à l'appel à projets de la Région",
        "Dossier de cofinancement AFD (dispositif FISONG)",
        "Mobiliser le « 1 % eau » d'un syndicat des eaux",
        "Préparation du dossier pour l'appel à projets DAECT",
        "Recherche de fondations pour la phase 2 ({country})",
    ],
    Code.STRUCTURING: [
        "Révision des statuts et de la gouvernance",
        "Mise en place d'une comptabilité par projet",
        "Accueil d'un volontaire en service civique",
        "Relance de la vie associative après l'assemblée générale",
    ],
    Code.PARTNERSHIP: [
        "Convention de partenariat avec l'association locale ({country})",
        "Mise en relation avec le groupe pays du réseau",
        "Préparation de la mission de terrain ({country})",
        "Rapprochement avec une collectivité engagée au même endroit",
    ],
    Code.EVALUATION: [
        "Évaluation finale du projet ({country})",
        "Capitalisation d'expérience avec les partenaires",
        "Rapport intermédiaire narratif et financier au bailleur",
    ],
    Code.OTHER: [
        "Préparation du Festival des solidarités (ECSI)",
        "Questions juridiques sur l'envoi de matériel",
        "Communication : refonte de la plaquette de présentation",
    ],
}
# How often each kind of help leads a session, and how often it comes as a second kind.
LEAD_WEIGHTS = {
    Code.PROJECT_DESIGN: 30,
    Code.FUNDING_SEARCH: 30,
    Code.STRUCTURING: 12,
    Code.PARTNERSHIP: 12,
    Code.EVALUATION: 10,
    Code.OTHER: 6,
}
FOLLOW_UPS = {
    Code.PROJECT_DESIGN: [
        "Envoyer le modèle de cadre logique",
        "Relire la note d'intention révisée",
        "Transmettre le modèle de budget prévisionnel",
    ],
    Code.FUNDING_SEARCH: [
        "Relire le dossier avant dépôt",
        "Transmettre le contact du chargé de mission à la Région",
        "Vérifier l'éligibilité au cofinancement",
    ],
    Code.STRUCTURING: [
        "Envoyer des exemples de statuts",
        "Proposer la formation « Gérer une association de solidarité »",
    ],
    Code.PARTNERSHIP: [
        "Présenter l'association au groupe pays",
        "Envoyer le modèle de convention de partenariat",
    ],
    Code.EVALUATION: [
        "Partager la grille d'évaluation",
        "Faire un point après le comité de pilotage",
    ],
    Code.OTHER: ["Envoyer le kit de communication du réseau"],
}
SUMMARIES = [
    "Échange avec la présidente et le trésorier. Le projet est cohérent ; le budget doit "
    "distinguer les apports valorisés.",
    "Le partenaire local est bien identifié ; reste à préciser la gouvernance et le suivi.",
    "Point sur le calendrier : dépôt visé avant la date limite, relecture proposée.",
    "Beaucoup d'énergie, peu de temps bénévole : prioriser une action réaliste cette année.",
    "",
]


def _country(organization) -> str:
    countries = list(organization.countries.all())
    return countries[0].name_fr if countries else "pays partenaire"


def load_demo(*, seed: int, today: datetime.date | None = None) -> list[SupportSession]:
    """The support part of the demo network (called by `load_demo_network`)."""
    rng = random.Random(seed + 47)
    today = today or timezone.localdate()
    staff = list(
        get_user_model()
        .objects.filter(role__in=REGISTER_EDITOR_ROLES, is_active=True)
        .order_by("pk")
    )
    candidates = list(
        Organization.objects.qualified()
        .order_by("pk")
        .prefetch_related("countries", "themes", "affiliations__person")
    )
    if not staff or len(candidates) < ORGANIZATIONS:
        return []
    organizations = rng.sample(candidates, ORGANIZATIONS)
    # Every organisation has one session; twenty have more (up to four), as support goes on.
    visits = list(organizations) + rng.choices(organizations[:12], k=SESSIONS - ORGANIZATIONS)
    dates = sorted(today - datetime.timedelta(days=rng.randint(1, 360)) for _ in range(SESSIONS))
    rng.shuffle(visits)
    sessions = []
    with transaction.atomic():
        for occurred_on, organization in zip(dates, visits, strict=True):
            sessions.append(_session(rng, organization, occurred_on, staff, today))
    return sessions


def _session(rng, organization, occurred_on, staff, today) -> SupportSession:
    lead = rng.choices(list(LEAD_WEIGHTS), weights=list(LEAD_WEIGHTS.values()))[0]
    kinds = {lead}
    if rng.random() < 0.4:
        kinds.add(rng.choice(list(LEAD_WEIGHTS)))
    officer = rng.choices(staff, weights=[1 + 2 * (i < 2) for i in range(len(staff))])[0]
    team = [officer]
    if len(staff) > 1 and rng.random() < 0.15:
        team.append(rng.choice([s for s in staff if s != officer]))
    people = [a.person for a in organization.affiliations.all() if a.person.erased_at is None]
    themes = list(organization.themes.all())
    follow_ups = []
    for _ in range(rng.choices([0, 1, 2], weights=[35, 45, 20])[0]):
        due_on = occurred_on + datetime.timedelta(days=rng.randint(7, 45))
        follow_ups.append(
            services.FollowUpSpec(
                description=rng.choice(FOLLOW_UPS[rng.choice(sorted(kinds))]),
                due_on=due_on,
                assignee=rng.choice(team),
                # Most past follow-ups were done; the others are the overdue ones.
                done=due_on < today and rng.random() < 0.7,
            )
        )
    session = services.support_session_record(
        organization=organization,
        occurred_on=occurred_on,
        duration_minutes=rng.choice([30, 45, 60, 60, 90, 90, 120, 180]),
        mode=rng.choices(list(SupportSession.Mode), weights=[45, 20, 35])[0],
        subject=rng.choice(SUBJECTS[lead]).format(country=_country(organization)),
        staff_members=team,
        help_kinds=sorted(kinds),
        people=rng.sample(people, k=min(len(people), rng.randint(1, 2))),
        themes=rng.sample(themes, k=min(len(themes), rng.randint(1, 2))),
        countries=list(organization.countries.all())[:1],
        summary=rng.choice(SUMMARIES),
        follow_ups=follow_ups,
        by=officer,
    )
    # Done when it was due, give or take a few days, rather than at the moment of loading.
    for follow_up in session.follow_ups.filter(done_at__isnull=False):
        done_on = min(follow_up.due_on + datetime.timedelta(days=rng.randint(-5, 3)), today)
        FollowUpAction.objects.filter(pk=follow_up.pk).update(
            done_at=timezone.make_aware(datetime.datetime.combine(done_on, datetime.time(17)))
        )
    return session
