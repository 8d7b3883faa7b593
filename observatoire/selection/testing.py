"""Builders for the selection tests: a two-stage call and its submitted applications."""

import datetime
from decimal import Decimal

from django.utils import timezone

from observatoire.core.testing import make_organization

from .models import Criterion


def make_call(title="Incubateur ODD test", *, budget=Decimal("100000")):
    from observatoire.calls.models import Call, Stage

    now = timezone.now()
    call = Call.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        budget=budget,
        status="open",
        is_published=True,
    )
    Stage.objects.create(
        call=call,
        number=1,
        name="Note d'intention",
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=30),
    )
    Stage.objects.create(
        call=call,
        number=2,
        name="Dossier complet",
        opens_at=now - datetime.timedelta(days=20),
        closes_at=now + datetime.timedelta(days=20),
        by_invitation=True,
    )
    return call


def stage_of(call, number=1):
    return call.stages.get(number=number)


def make_application(call, organization=None, *, title="Projet", amount=Decimal("10000"), stage=1):
    from observatoire.calls.models import Application, Submission

    organization = organization or make_organization(f"Association {title}")
    application = Application.objects.create(
        call=call,
        organization=organization,
        project_title=title,
        amount_requested=amount,
        contact_name="Awa Traoré",
        contact_email=f"{organization.pk}@candidat.test",
        status="submitted" if stage == 1 else "invited",
        stage_reached=stage,
        submitted_at=timezone.now(),
    )
    for number in range(1, stage + 1):
        Submission.objects.create(
            application=application,
            stage=stage_of(call, number),
            answers={},
            submitted_at=timezone.now(),
        )
    return application


def make_grid(call, number=1):
    """Two criteria: « Pertinence » weight 2 on 0–5, « Faisabilité » weight 1 on 0–20."""
    stage = stage_of(call, number)
    return [
        Criterion.objects.create(call=call, stage=stage, label="Pertinence", weight=2, scale_max=5),
        Criterion.objects.create(
            call=call, stage=stage, label="Faisabilité", weight=1, scale_max=20, order=1
        ),
    ]
