"""Builders for the tests of the follow-up: a call with its stages and a laureate."""

import datetime
from decimal import Decimal

from django.utils import timezone

from observatoire.calls.models import Application, Call, Stage, Submission
from observatoire.core.testing import make_organization


def make_call(title: str = "Incubateur ODD 2026", *, closes_at=None, **fields) -> Call:
    closes_at = closes_at or timezone.now() - datetime.timedelta(days=30)
    call = Call.objects.create(
        title=title, slug=fields.pop("slug", None) or title.lower().replace(" ", "-"), **fields
    )
    for number, name in ((1, "Note d'intention"), (2, "Dossier complet")):
        Stage.objects.create(
            call=call,
            number=number,
            name=name,
            opens_at=closes_at - datetime.timedelta(days=60),
            closes_at=closes_at + datetime.timedelta(days=30 * (number - 1)),
            by_invitation=number == 2,
        )
    return call


def make_application(
    call: Call,
    *,
    organization=None,
    status: str = Application.Status.LAUREATE,
    amount: str = "10000",
    submitted_at=None,
    email: str = "contact@eau-vive.test",
    answers: dict | None = None,
    stage_reached: int = 2,
    **fields,
) -> Application:
    organization = organization or make_organization()
    submitted_at = submitted_at or timezone.now() - datetime.timedelta(days=40)
    application = Application.objects.create(
        call=call,
        organization=organization,
        project_title=fields.pop("project_title", f"Projet de {organization.name}"),
        amount_requested=Decimal(amount),
        contact_name=fields.pop("contact_name", "Awa Traoré"),
        contact_email=email,
        status=status,
        stage_reached=stage_reached,
        submitted_at=submitted_at,
        **fields,
    )
    for stage in call.stages.filter(number__lte=stage_reached):
        Submission.objects.create(
            application=application,
            stage=stage,
            answers=answers or {},
            submitted_at=submitted_at,
        )
    return application
