"""Calls ready for tests (other apps' tests use them too): a call open now with one field of each
kind, and listed organisations to apply with."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from .models import Call, FormField, Stage

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_call(
    *,
    title: str = "Incubateur ODD",
    two_stages: bool = False,
    open_now: bool = True,
    fields: bool = True,
    **values,
) -> Call:
    """A published call whose first stage is open now (or closed an hour ago)."""
    now = timezone.now()
    call = Call.objects.create(
        title=title,
        slug=values.pop("slug", slugify(title)),
        summary="Un appel pour les projets de solidarité internationale.",
        max_amount_per_application=values.pop("max_amount", Decimal("30000")),
        **{"status": Call.Status.OPEN, "is_published": True, **values},
    )
    if open_now:
        opens, closes = now - datetime.timedelta(days=10), now + datetime.timedelta(days=10)
    else:
        opens, closes = now - datetime.timedelta(days=10), now - datetime.timedelta(hours=1)
    stage = Stage.objects.create(
        call=call, number=1, name="Note d'intention", opens_at=opens, closes_at=closes
    )
    if two_stages:
        Stage.objects.create(
            call=call,
            number=2,
            name="Dossier complet",
            opens_at=closes,
            closes_at=closes + datetime.timedelta(days=30),
            by_invitation=True,
        )
    if fields:
        add_fields(stage)
    return call


def add_fields(stage: Stage) -> dict[str, FormField]:
    """One field of each kind, named by kind; the summary and amount are required."""
    kind = FormField.Kind
    specs = [
        (kind.TEXT, "Résumé du projet", {"required": True, "max_words": 10}),
        (kind.LONG_TEXT, "Description", {"max_words": 200}),
        (kind.CHOICE, "Zone", {"choices": ["Afrique", "Asie", "Amériques"]}),
        (kind.MULTIPLE_CHOICE, "Publics", {"choices": ["Jeunes", "Femmes", "Élus"]}),
        (kind.AMOUNT, "Montant demandé", {"required": True}),
        (kind.DATE, "Date de début", {}),
        (kind.BUDGET_TABLE, "Budget prévisionnel", {}),
        (kind.ATTACHMENT, "Présentation (PDF)", {"allowed_types": ["pdf"], "max_size_mb": 1}),
    ]
    fields = {}
    for order, (field_kind, label, options) in enumerate(specs):
        fields[field_kind] = FormField.objects.create(
            stage=stage, order=order, label=label, kind=field_kind, **options
        )
    return fields


def listed_organization(name: str = "Association Eau Vive Charente", **fields):
    """A qualified (listed) organisation based in Gironde unless told otherwise."""
    from observatoire.core.testing import make_organization
    from observatoire.referentials.models import Commune

    commune = (
        fields.pop("commune", None)
        or Commune.objects.filter(departement__code=fields.pop("departement_code", "33")).first()
    )
    return make_organization(name, status="qualified", commune=commune, **fields)
