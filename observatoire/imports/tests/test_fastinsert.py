from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone
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


@pytest.mark.django_db
def test_rows_without_instances_are_those_of_the_instances(staff):
    # The importer's creation path (tuples, no instances; history copied by SQL) against
    # _fill + organization_locate + organization_build_search_text on an instance, written by
    # the instance path.
    from observatoire.imports.importers import OrganizationImporter
    from observatoire.organizations.services import organization_build_search_text

    importer = OrganizationImporter(user=staff)
    importer.prepare()
    raws = [
        {"name": "Solidarité Gironde Sénégal", "acronym": "SGS", "siret": "73282932000074",
         "postal_code": "33000", "commune": "Bordeaux", "public_email": "contact@sgs.fr",
         "phone": "05 56 00 00 00", "website": "sgs.fr", "rna": "W332001234"},
        {"name": "Sans commune", "kind": "association"},
        {"name": "Code postal déduit", "commune": "Niort", "insee_code": "79191"},
    ]  # fmt: skip
    for number, raw in enumerate(raws, start=2):
        values = importer.clean(number, raw).values
        # The same new row from the preview's kept rows (packed, folded parts included).
        packed = importer.pack(values)
        assert importer._new_values(importer.unpack(number, packed, None, []).values) == (
            importer._new_values(values)
        )
        (pk,) = importer.new_rows.insert(
            [importer._new_values(values)], user=staff, reason="import"
        )
        reference = Organization()
        importer._fill(reference, values, update=False)
        reference.source, reference.status = "import", Organization.Status.PENDING
        reference.search_text = organization_build_search_text(reference)
        fastinsert.insert_returning_pks([reference])
        fastinsert.insert_history([reference], user=staff, reason="import")
        a, b = Organization.objects.get(pk=reference.pk), Organization.objects.get(pk=pk)
        expected = {k: v for k, v in model_to_dict(a).items() if k not in IGNORED}
        assert {k: v for k, v in model_to_dict(b).items() if k not in IGNORED} == expected
        assert b.created_at is not None and b.updated_at == b.created_at
        history_a, history_b = a.history.get(), b.history.get()
        for field in [f.attname for f in Organization.history.model._meta.concrete_fields]:
            if field not in IGNORED:
                assert getattr(history_b, field) == getattr(history_a, field), field
        assert history_b.id == b.pk and history_b.created_at == b.created_at


@pytest.mark.django_db
def test_new_rows_get_their_keys_in_order_and_history_copied_from_them(staff):
    kind = OrganizationKind.objects.get(slug="association")
    commune = Commune.objects.get(name="Niort")
    make = fastinsert.NewRows(
        Organization, ["name", "kind_id", "commune_id", "search_text"], fixed={"source": "import"}
    )
    Organization.objects.create(name="Déjà là", kind=kind)
    pks = make.insert(
        [("Un", kind.pk, commune.pk, "un"), ("Deux", kind.pk, None, "deux")],
        user=staff,
        reason="import",
    )
    assert [Organization.objects.get(pk=pk).name for pk in pks] == ["Un", "Deux"]
    created = Organization.objects.get(pk=pks[0])
    assert (created.source, created.status, created.commune_id) == ("import", "draft", commune.pk)
    assert created.created_at == created.updated_at == make.now
    history = created.history.get()
    assert (history.history_type, history.history_change_reason) == ("+", "import")
    assert history.history_user_id == staff.pk and history.history_date == make.now
    assert (history.name, history.commune_id, history.created_at) == ("Un", commune.pk, make.now)


@pytest.mark.django_db
def test_history_copied_for_keys_that_do_not_follow(staff):
    # The path of keys that are not one range (PostgreSQL's sequence under concurrent inserts).
    kind = OrganizationKind.objects.get(slug="association")
    first, _middle, last = (
        Organization.objects.create(name=name, kind=kind) for name in ("A", "B", "C")
    )
    Organization.history.model.objects.all().delete()
    fastinsert.copy_history(
        Organization, [first.pk, last.pk], now=timezone.now(), user=None, reason="import"
    )
    copied = Organization.history.model.objects.order_by("id")
    assert [(h.id, h.name, h.history_type) for h in copied] == [
        (first.pk, "A", "+"),
        (last.pk, "C", "+"),
    ]


def test_new_rows_refuse_unknown_columns():
    with pytest.raises(ValueError):
        fastinsert.NewRows(Organization, ["name", "no_such_column"])


@pytest.mark.parametrize(
    "value", ["", "75001", "2A004", "75 001", "contact@sgs.fr", "a-b_c+d@x.fr", "É@x.fr", "."]
)
def test_words_already_folded_are_kept_as_fold_gives_them(value):
    from observatoire.core.text import fold
    from observatoire.imports.importers import _fold_word

    assert _fold_word(value) == fold(value)
