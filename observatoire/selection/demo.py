"""Demo selection of « Incubateur ODD 2026 »: a jury of six, two committees, nine laureates.

Runs after the calls demo (INSTALLED_APPS order), which creates the call and its 25 notes of
intent; does nothing when that call is missing or already has a jury. No mail leaves: the
applicants are recorded as notified, as if the team had sent the results.
"""

import datetime
import random
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from observatoire.accounts.models import Role
from observatoire.organizations.models import Organization, OrganizationRelation

from . import services
from .conflicts import conflicts_between
from .models import Assignment, Committee, Criterion, Decision, Reviewer

CALL_TITLE = "Incubateur ODD 2026"
FINALISTS = 16
LAUREATES = 9
PER_APPLICATION = 3

CRITERIA = [
    ("Pertinence au regard des ODD", "Le projet répond-il à un besoin identifié avec les "
     "partenaires ? À quels ODD contribue-t-il concrètement ?", Decimal(3)),
    ("Qualité du partenariat", "Rôle réel des partenaires du Sud, gouvernance partagée, "
     "ancienneté de la relation.", Decimal(2)),
    ("Faisabilité et budget", "Calendrier réaliste, budget équilibré et cohérent avec les "
     "activités, cofinancements identifiés.", Decimal(2)),
    ("Ancrage en Nouvelle-Aquitaine", "Mobilisation de bénévoles, d'écoles ou de collectivités "
     "du territoire ; actions d'éducation à la citoyenneté mondiale.", Decimal(1)),
    ("Caractère innovant", "Approche nouvelle pour la structure ou pour le territoire, "
     "capacité à essaimer.", Decimal(1)),
]  # fmt: skip

OUTSIDE = [
    ("Mamadou Diallo", "mamadou.diallo@expert-demo.fr"),
    ("Sophie Lambert", "sophie.lambert@expert-demo.fr"),
    ("Jean-Marc Perrin", "jm.perrin@expert-demo.fr"),
]

FEEDBACK_STAGE_1 = [
    "Le comité a apprécié l'intention, mais le partenariat local reste à construire : "
    "nous vous encourageons à solliciter un accompagnement du réseau avant un prochain appel.",
    "Projet intéressant mais encore peu précis sur le budget et le calendrier.",
    "Le lien avec les ODD et l'ancrage en Nouvelle-Aquitaine mériteraient d'être développés.",
]
FEEDBACK_STAGE_2 = [
    "Dossier solide, devancé par des projets au partenariat plus abouti ; le comité vous "
    "invite à représenter le projet l'an prochain.",
    "Le budget prévisionnel dépend d'un cofinancement non confirmé ; le comité n'a pas pu "
    "retenir le projet cette année.",
]


def _call():
    from observatoire.calls.models import Call

    return Call.objects.filter(title=CALL_TITLE).first()


def _staff():
    users = get_user_model().objects.filter(
        is_active=True, role__in=[Role.ADMINISTRATOR, Role.STAFF]
    )
    return list(users.order_by("role", "pk")[:3])


def _conflicting_organization(applications) -> Organization | None:
    """An organisation of the register linked to one applicant: its member gets a conflict."""
    from observatoire.projects.models import ProjectPartner

    applicants = [a.organization_id for a in applications if a.organization_id]
    partner = (
        ProjectPartner.objects.filter(project__partners__organization_id__in=applicants)
        .exclude(organization_id__in=applicants)
        .select_related("organization")
        .first()
    )
    if partner is not None:
        return partner.organization
    relation = (
        OrganizationRelation.objects.filter(target_id__in=applicants)
        .exclude(source_id__in=applicants)
        .select_related("source")
        .first()
    )
    return relation.source if relation else None


def _neutral_organization(applications, exclude) -> Organization | None:
    applicants = [a.organization_id for a in applications if a.organization_id]
    return (
        Organization.objects.filter(kind__slug__in=["university", "training"])
        .exclude(pk__in=[*applicants, *(o.pk for o in exclude if o)])
        .order_by("name")
        .first()
    )


def _score_all(stage, rng: random.Random, quality: dict[int, float]) -> None:
    criteria = list(Criterion.objects.filter(stage=stage))
    for assignment in Assignment.objects.active().filter(stage=stage):
        base = quality[assignment.application_id]
        marks = {}
        for criterion in criteria:
            value = base * criterion.scale_max + rng.uniform(-1, 1)
            value = min(criterion.scale_max, max(0, round(value * 2) / 2))
            marks[criterion.pk] = (Decimal(str(value)), "")
        average = sum(v for v, _c in marks.values()) / sum(c.scale_max for c in criteria)
        recommendation = "yes" if average > Decimal("0.7") else "maybe" if average > 0.5 else "no"
        services.review_save(
            assignment=assignment,
            marks=marks,
            recommendation=recommendation,
            comment=rng.choice(
                [
                    "Projet clair, partenaires bien identifiés.",
                    "Bonne intention, budget à préciser.",
                    "Le lien avec les ODD est convaincant.",
                    "Beaucoup d'activités pour un budget modeste : à resserrer.",
                ]
            ),
            submit=True,
        )


def _stage_two_answers(stage, application, rng: random.Random) -> dict:
    from observatoire.calls.models import FormField

    answers = {}
    for form_field in stage.fields.all():
        kind = form_field.kind
        if kind == FormField.Kind.TEXT:
            value = application.project_title
        elif kind == FormField.Kind.LONG_TEXT:
            value = (
                f"« {application.project_title} » est porté avec nos partenaires depuis "
                "plusieurs années. La phase d'incubation permettra de consolider le diagnostic "
                "partagé, de former les équipes locales et de préparer une demande auprès de "
                "l'AFD. En Nouvelle-Aquitaine, des interventions sont prévues dans deux lycées."
            )
        elif kind == FormField.Kind.CHOICE and form_field.choices:
            value = rng.choice(form_field.choices)
        elif kind == FormField.Kind.MULTIPLE_CHOICE and form_field.choices:
            value = form_field.choices[:2]
        elif kind == FormField.Kind.AMOUNT:
            value = str(application.amount_requested or Decimal(10000))
        elif kind == FormField.Kind.DATE:
            value = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
        elif kind == FormField.Kind.BUDGET_TABLE:
            total = application.amount_requested or Decimal(10000)
            rows = [
                {"label": "Missions et déplacements", "amount": str(total * Decimal("0.3"))},
                {"label": "Formation des équipes locales", "amount": str(total * Decimal("0.4"))},
                {"label": "Équipement", "amount": str(total * Decimal("0.3"))},
            ]
            value = {"rows": rows, "total": str(total)}
        else:
            continue
        answers[str(form_field.pk)] = value
    return answers


def _committee(call, stage, days_after, staff, reviewers, minutes) -> Committee:
    held_on = min(
        timezone.localdate(stage.closes_at) + datetime.timedelta(days=days_after),
        timezone.localdate(),
    )
    committee = Committee(
        call=call,
        stage=stage,
        held_on=held_on,
        other_attendees="Représentante de la Région Nouvelle-Aquitaine (observatrice)",
        minutes=minutes,
    )
    return services.committee_save(
        committee=committee, attendees=staff, reviewer_attendees=reviewers
    )


def _mark_notified(committee: Committee) -> None:
    notified = timezone.make_aware(
        datetime.datetime.combine(committee.held_on + datetime.timedelta(days=2), datetime.time(10))
    )
    Decision.objects.filter(committee=committee).update(notified_at=notified)
    Committee.objects.filter(pk=committee.pk).update(notified_at=notified)


def _round_down(amount: Decimal) -> Decimal:
    """To the 500 € below, as committees round grants."""
    return (amount / 500).to_integral_value(rounding=ROUND_DOWN) * 500


@transaction.atomic
def load_demo(*, seed: int) -> None:
    from observatoire.calls.models import Submission
    from observatoire.calls.selectors import applications_for

    call = _call()
    if call is None or call.reviewers.exists():
        return
    stages = {stage.number: stage for stage in call.stages.all()}
    staff = _staff()
    applications = list(applications_for(call=call, stage_number=1))
    if 1 not in stages or 2 not in stages or not staff or len(applications) < FINALISTS:
        return
    rng = random.Random(seed + 909)

    # The jury: three staff, three outside members (one linked to an applicant).
    reviewers = [services.reviewer_add_staff(call=call, user=user) for user in staff]
    conflicting = _conflicting_organization(applications)
    neutral = _neutral_organization(applications, exclude=[conflicting])
    for (name, email), organization in zip(OUTSIDE, [conflicting, neutral, None], strict=True):
        reviewer = Reviewer.objects.create(
            call=call,
            name=name,
            email=email,
            organization=organization,
            invited_at=stages[1].closes_at - datetime.timedelta(days=20),
        )
        reviewers.append(reviewer)
    for stage in stages.values():
        for order, (label, guidance, weight) in enumerate(CRITERIA):
            Criterion.objects.create(
                call=call,
                stage=stage,
                order=order,
                label=label,
                guidance=guidance,
                weight=weight,
                scale_max=5 if stage.number == 1 else 20,
            )

    # Stage 1: the conflict overruled, one conflict declared, then the automatic assignment.
    if conflicting is not None:
        flagged = next((a for a in applications if conflicts_between(reviewers[3], a)), None)
        if flagged is not None:
            services.assignment_create(
                reviewer=reviewers[3],
                application=flagged,
                stage=stages[1],
                user=staff[0],
                override_reason="Seul membre du jury à connaître le terrain du projet ; son avis "
                "est consultatif et il ne prendra pas part au vote sur ce dossier.",
            )
    declared = services.assignment_create(
        reviewer=reviewers[5], application=applications[-1], stage=stages[1]
    )
    services.conflict_declare(
        assignment=declared,
        reason="J'ai accompagné bénévolement cette association sur la rédaction de sa note.",
    )
    services.assign_automatically(
        call=call, stage=stages[1], applications=applications, per_application=PER_APPLICATION
    )
    quality = {a.pk: rng.uniform(0.35, 0.95) for a in applications}
    _score_all(stages[1], rng, quality)

    # Committee 1: the sixteen best are invited to send a full application.
    from .selectors import ranking

    first = _committee(
        call,
        stages[1],
        12,
        staff,
        reviewers[3:5],
        "Le comité a examiné les 25 notes d'intention à partir du classement du jury. "
        "16 projets sont invités à déposer un dossier complet.",
    )
    ordered = [result.application for result in ranking(stage=stages[1], applications=applications)]
    for position, application in enumerate(ordered):
        invited = position < FINALISTS
        services.decide(
            committee=first,
            application=application,
            outcome="invited" if invited else "not_selected",
            feedback="" if invited else FEEDBACK_STAGE_1[position % len(FEEDBACK_STAGE_1)],
            user=staff[0],
        )
    _mark_notified(first)

    # Stage 2: the full applications, reviewed on a 0–20 scale.
    finalists = ordered[:FINALISTS]
    for application in finalists:
        Submission.objects.get_or_create(
            application=application,
            stage=stages[2],
            defaults={
                "answers": _stage_two_answers(stages[2], application, rng),
                "submitted_at": stages[2].closes_at - datetime.timedelta(days=rng.randint(1, 10)),
            },
        )
        quality[application.pk] = min(0.97, quality[application.pk] + rng.uniform(-0.1, 0.1))
    services.assign_automatically(
        call=call, stage=stages[2], applications=finalists, per_application=PER_APPLICATION
    )
    _score_all(stages[2], rng, quality)

    # Committee 2: nine laureates within the budget.
    second = _committee(
        call,
        stages[2],
        10,
        staff,
        reviewers[3:],
        "Le comité retient 9 lauréats. Les montants tiennent compte des cofinancements "
        "annoncés ; le total reste dans l'enveloppe de l'appel.",
    )
    ordered = [result.application for result in ranking(stage=stages[2], applications=finalists)]
    budget = call.budget or Decimal(90000)
    share = _round_down(budget / LAUREATES)
    for position, application in enumerate(ordered):
        if position < LAUREATES:
            requested = application.amount_requested or share
            amount = _round_down(min(requested, share))
            services.decide(
                committee=second,
                application=application,
                outcome="laureate",
                amount_granted=max(amount, Decimal(500)),
                user=staff[0],
            )
        else:
            services.decide(
                committee=second,
                application=application,
                outcome="not_selected",
                feedback=FEEDBACK_STAGE_2[position % len(FEEDBACK_STAGE_2)],
                user=staff[0],
            )
    _mark_notified(second)
