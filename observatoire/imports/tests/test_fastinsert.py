from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from simple_history.utils import bulk_create_with_history

from observatoire.imports import fastinsert
from observatoire.organizations.models import Organization
from observatoire.referentials.models import Commune, OrganizationKind

IGNORED = {"id", "created_at", "updated_at", "history_id", "history_date"}


def _organizations(kind, commune):
    return [
        Organization(
            name="Eau Vive", kind=kind, commune=commune, departement=commune.departement,
            latitude=Decimal("46.32"), longitude=Decimal("-0.46"), source="import",
            status="pending", field_visibility={"phone": "staff"}, search_text="eau vive",
        ),
        Organization(name="Sans commune", kind=kind, source="import"),
    ]  # fmt: skip


@pytest.mark.django_db
def test_fast_insert_writes_what_bulk_create_with_history_writes(staff):
    kind = OrganizationKind.objects.get(slug="association")
    commune = Commune.objects.get(name="Niort")
    reference = _organizations(kind, commune)
    bulk_create_with_history(reference, Organization, default_user=staff,
                             default_change_reason="import")  # fmt: skip
    fast = _organizations(kind, commune)
    fastinsert.insert_returning_pks(fast)
    fastinsert.insert_history(fast, user=staff, reason="import")
    assert all(o.pk for o in fast)
    for a, b in zip(reference, fast, strict=True):
        a, b = Organization.objects.get(pk=a.pk), Organization.objects.get(pk=b.pk)
        expected = {k: v for k, v in model_to_dict(a).items() if k not in IGNORED}
        assert {k: v for k, v in model_to_dict(b).items() if k not in IGNORED} == expected
        assert b.created_at is not None and b.updated_at is not None
        history_a, history_b = a.history.get(), b.history.get()
        fields = [f.attname for f in Organization.history.model._meta.concrete_fields]
        for field in fields:
            if field not in IGNORED:
                assert getattr(history_b, field) == getattr(history_a, field), field
        assert history_b.id == b.pk
