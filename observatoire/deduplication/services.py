"""Writes of the deduplication: the duplicate finder, decisions on pairs, merges and their undo."""

import time
from dataclasses import dataclass, field
from typing import Any

from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q, UniqueConstraint
from django.utils import timezone
from django.utils.translation import gettext as _

from observatoire.organizations.models import Organization
from observatoire.organizations.services import (
    organization_refresh_search_text,
    organization_save,
)

from .blocking import find_pairs
from .matching import Description
from .models import DuplicateCandidate, MergeRecord

DEFAULT_MIN_SCORE = 0.8
# Reverse relations of Organization that belong to the deduplication itself: never moved.
OWN_APP_LABEL = "deduplication"
FINDER_FIELDS = [
    "pk",
    "name",
    "acronym",
    "siren",
    "siret",
    "rna",
    "website",
    "public_email",
    "commune_id",
    "departement_id",
    "phone",
    "address_line1",
    "postal_code",
]


@dataclass
class FinderResult:
    scanned: int = 0
    compared: int = 0
    found: int = 0
    created: int = 0
    updated: int = 0
    removed: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def _order(first_id: int, second_id: int) -> tuple[int, int]:
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


def duplicates_find(
    *, min_score: float = DEFAULT_MIN_SCORE, workers: int | None = None
) -> FinderResult:
    """Scan the whole register and update the candidate pairs; dismissed pairs stay dismissed."""
    result = FinderResult()
    started = time.perf_counter()
    rows = Organization.objects.filter(merged_into__isnull=True).values_list(*FINDER_FIELDS)
    descriptions = [
        (
            pk,
            Description(
                name=name,
                acronym=acronym,
                siren=siren,
                siret=siret,
                rna=rna,
                website=website,
                email=email,
                commune_id=commune_id,
                departement_id=departement_id,
                phone=phone,
                address=address,
                postal_code=postal_code,
            ),
        )
        for (
            pk,
            name,
            acronym,
            siren,
            siret,
            rna,
            website,
            email,
            commune_id,
            departement_id,
            phone,
            address,
            postal_code,
        ) in rows.iterator(chunk_size=5000)
    ]
    result.scanned = len(descriptions)
    result.timings["load"] = round(time.perf_counter() - started, 2)
    found, result.compared = find_pairs(
        descriptions, min_score=min_score, workers=workers, timings=result.timings
    )
    result.found = len(found)
    started = time.perf_counter()
    _store_pairs(found, result)
    result.timings["store"] = round(time.perf_counter() - started, 2)
    return result


@transaction.atomic
def _store_pairs(found, result: FinderResult) -> None:
    existing = {
        (first, second): (pk, status, score, reasons)
        for pk, first, second, status, score, reasons in DuplicateCandidate.objects.values_list(
            "pk", "first_id", "second_id", "status", "score", "reasons"
        ).iterator(chunk_size=5000)
    }
    now = timezone.now()
    to_create, to_update, seen = [], [], set()
    for pair in found:
        key = (pair.first_id, pair.second_id)
        seen.add(key)
        if key not in existing:
            to_create.append(pair)
            continue
        pk, status, score, reasons = existing[key]
        if status == DuplicateCandidate.Status.OPEN and (
            score != pair.score or reasons != pair.reasons
        ):
            to_update.append(
                DuplicateCandidate(pk=pk, score=pair.score, reasons=pair.reasons, updated_at=now)
            )
    _insert_candidates(to_create, now)
    DuplicateCandidate.objects.bulk_update(
        to_update, ["score", "reasons", "updated_at"], batch_size=1000
    )
    stale = [
        pk
        for key, (pk, status, _score, _reasons) in existing.items()
        if status == DuplicateCandidate.Status.OPEN and key not in seen
    ]
    for start in range(0, len(stale), 500):
        DuplicateCandidate.objects.filter(pk__in=stale[start : start + 500]).delete()
    result.created, result.updated, result.removed = len(to_create), len(to_update), len(stale)


def _insert_candidates(pairs, now) -> None:
    """Insert new pairs with executemany: a first run over a large register finds hundreds of
    thousands, and bulk_create's model instances and batches of 111 rows (SQLite's
    999-parameter limit) took most of the finder's storing time."""
    if not pairs:
        return
    meta = DuplicateCandidate._meta
    names = ["first", "second", "score", "reasons", "status", "found_at", "updated_at"]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table),
        ", ".join(quote(meta.get_field(name).column) for name in names),
        ", ".join(["%s"] * len(names)),
    )
    moment = meta.get_field("found_at").get_db_prep_save(now, connection)
    reasons_field = meta.get_field("reasons")
    prepared: dict[tuple[str, ...], Any] = {}
    batch = []
    with connection.cursor() as cursor:
        for pair in pairs:
            key = tuple(pair.reasons)
            if key not in prepared:
                prepared[key] = reasons_field.get_db_prep_save(pair.reasons, connection)
            batch.append(
                (
                    pair.first_id,
                    pair.second_id,
                    pair.score,
                    prepared[key],
                    DuplicateCandidate.Status.OPEN.value,
                    moment,
                    moment,
                )
            )
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def duplicates_find_enqueue() -> None:
    """Run the finder in the background once the current transaction is committed."""
    from .tasks import find_duplicates_task

    transaction.on_commit(lambda: find_duplicates_task.enqueue())


@transaction.atomic
def candidate_dismiss(*, candidate: DuplicateCandidate, user) -> DuplicateCandidate:
    """Mark a pair "not a duplicate": later runs of the finder leave it alone."""
    candidate.status = DuplicateCandidate.Status.DISMISSED
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return candidate


@transaction.atomic
def candidate_reopen(*, candidate: DuplicateCandidate, user) -> DuplicateCandidate:
    """Put a dismissed pair back in the list to review."""
    candidate.status = DuplicateCandidate.Status.OPEN
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return candidate


# Merge ----------------------------------------------------------------------------------------

# Fields a person chooses between on the merge screen, in the order of the form.
MERGE_FIELDS = [
    "name",
    "acronym",
    "kind",
    "legal_form",
    "status",
    "source",
    "siren",
    "siret",
    "rna",
    "iati_id",
    "description",
    "website",
    "public_email",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
    "commune",
    "latitude",
    "longitude",
    "coordinates_overridden",
    "field_visibility",
]


class MergeError(ValueError):
    """A merge that cannot be made; the message is shown to the user."""


def _snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete field values of a row, as JSON-safe data (Django's serializer)."""
    data = serializers.serialize("python", [instance])[0]["fields"]
    return json_safe(data)


def json_safe(value):
    import datetime
    import decimal
    import uuid

    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _restore_fields(instance: models.Model, data: dict[str, Any]) -> None:
    """Set concrete (non-m2m) fields of `instance` from `_snapshot` data."""
    for name, value in data.items():
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many:
            continue
        if model_field.is_relation:
            setattr(instance, model_field.attname, value)
        else:
            setattr(instance, name, model_field.to_python(value))


def _organization_relations():
    """Every reverse relation to Organization, so that models added later move too.

    Returns (foreign keys: [(model, field)], many-to-many: [(model, field name)]).
    """
    foreign_keys, many_to_many = [], []
    for relation in Organization._meta.related_objects:
        model = relation.related_model
        if model._meta.app_label == OWN_APP_LABEL:
            continue
        if relation.many_to_many:
            through = relation.through
            if through._meta.auto_created:
                many_to_many.append((model, relation.field.name))
            # An explicit "through" model is a reverse foreign key too, moved with those.
            continue
        if relation.field.model is Organization and relation.field.name == "merged_into":
            continue
        if relation.field.primary_key:
            # A row keyed by the organisation itself (the public search index's entry) is
            # derived from it, not attached to it: it cannot move, and the index refreshes
            # both records when the merge saves them.
            continue
        foreign_keys.append((model, relation.field))
    return foreign_keys, many_to_many


def _flag_constraints(model) -> list[tuple[UniqueConstraint, str]]:
    """Conditional unique constraints on one boolean flag (one main contact per organisation)."""
    found = []
    for constraint in model._meta.constraints:
        if not isinstance(constraint, UniqueConstraint) or constraint.condition is None:
            continue
        children = constraint.condition.children
        if len(children) == 1 and isinstance(children[0], tuple) and children[0][1] is True:
            name = children[0][0]
            if isinstance(model._meta.get_field(name), models.BooleanField):
                found.append((constraint, name))
    return found


def _can_move(row: models.Model) -> bool:
    try:
        row.validate_unique()
        row.validate_constraints()
    except ValidationError:
        return False
    return True


def _move_row(row, model_field, survivor, reason: str, user) -> dict | None:
    """Point `row` at the survivor; returns the undo entry, or None when it must stay."""
    before = getattr(row, model_field.attname)
    setattr(row, model_field.attname, survivor.pk)
    changed: dict[str, Any] = {}
    if not _can_move(row):
        # Resolve a "one flagged row per organisation" conflict by dropping the flag.
        for _constraint, flag in _flag_constraints(type(row)):
            if getattr(row, flag):
                setattr(row, flag, False)
                changed[flag] = True
        if not changed or not _can_move(row):
            for flag, value in changed.items():
                setattr(row, flag, value)
            setattr(row, model_field.attname, before)
            return None
    row._change_reason = reason
    row._history_user = user
    row.save(update_fields=[model_field.name, *changed])
    return {
        "model": row._meta.label_lower,
        "pk": json_safe(row.pk),
        "field": model_field.name,
        "restore": changed,
    }


@transaction.atomic
def organization_merge(
    *,
    survivor: Organization,
    merged: Organization,
    field_choices: dict[str, str],
    user,
    candidate: DuplicateCandidate | None = None,
) -> MergeRecord:
    """Merge `merged` into `survivor`: chosen fields, unions, every related row moved.

    `field_choices` maps a field of MERGE_FIELDS to "survivor" or "merged" (default
    "survivor"). The merged record stays, archived, with `merged_into` set.
    """
    survivor = Organization.objects.select_for_update().get(pk=survivor.pk)
    merged = Organization.objects.select_for_update().get(pk=merged.pk)
    if survivor.pk == merged.pk:
        raise MergeError(_("an organisation cannot be merged with itself."))
    if merged.merged_into_id or survivor.merged_into_id:
        raise MergeError(_("one of the two organisations has already been merged."))
    reason = f"merge: #{merged.pk} into #{survivor.pk}"
    survivor_before = _snapshot(survivor)
    merged_before = _snapshot(merged)
    undo: dict[str, Any] = {
        "survivor": survivor_before,
        "merged": merged_before,
        "m2m_added": {},
        "moved": [],
        "reverse_m2m": [],
    }
    summary: dict[str, Any] = {"fields": [], "moved": {}, "left": {}}

    # Fields chosen one by one. Identifiers of the merged record move only if chosen; they
    # stay on the archived record (and in the survivor's search text) otherwise.
    taken = {}
    for name in MERGE_FIELDS:
        if field_choices.get(name) == "merged":
            model_field = Organization._meta.get_field(name)
            taken[model_field.attname] = getattr(merged, model_field.attname)
    # Unique identifiers could clash with the archived record: clear them there first.
    for attname, value in taken.items():
        setattr(survivor, attname, value)
        summary["fields"].append(attname.removesuffix("_id"))

    # Many-to-many fields of the organisation: the union.
    for m2m in Organization._meta.many_to_many:
        survivor_ids = set(getattr(survivor, m2m.name).values_list("pk", flat=True))
        merged_ids = set(getattr(merged, m2m.name).values_list("pk", flat=True))
        added = sorted(merged_ids - survivor_ids)
        if added:
            getattr(survivor, m2m.name).add(*added)
            undo["m2m_added"][m2m.name] = added

    # Every row pointing at the merged organisation.
    foreign_keys, many_to_many = _organization_relations()
    for model, model_field in foreign_keys:
        rows = model._default_manager.filter(**{model_field.name: merged.pk}).order_by("pk")
        for row in rows:
            entry = _move_row(row, model_field, survivor, reason, user)
            label = str(model._meta.verbose_name_plural)
            if entry is None:
                summary["left"][label] = summary["left"].get(label, 0) + 1
            else:
                undo["moved"].append(entry)
                summary["moved"][label] = summary["moved"].get(label, 0) + 1
    for model, field_name in many_to_many:
        for row in model._default_manager.filter(**{field_name: merged.pk}):
            manager = getattr(row, field_name)
            had_survivor = manager.filter(pk=survivor.pk).exists()
            manager.remove(merged.pk)
            if not had_survivor:
                manager.add(survivor.pk)
            undo["reverse_m2m"].append(
                {
                    "model": model._meta.label_lower,
                    "pk": json_safe(row.pk),
                    "field": field_name,
                    "had_survivor": had_survivor,
                }
            )
            label = str(model._meta.verbose_name_plural)
            summary["moved"][label] = summary["moved"].get(label, 0) + 1

    # The merged record: archived, pointing at the survivor.
    merged.status_before_archive = (
        merged.status
        if merged.status != Organization.Status.ARCHIVED
        else merged.status_before_archive
    )
    merged.status = Organization.Status.ARCHIVED
    merged.archived_at = merged.archived_at or timezone.now()
    merged.merged_into = survivor
    merged._history_user = user
    merged._change_reason = reason
    merged.save(
        update_fields=[
            "status",
            "status_before_archive",
            "archived_at",
            "merged_into",
            "updated_at",
        ]
    )
    try:
        organization_save(organization=survivor, changed_by=user, reason=reason)
    except ValidationError as error:
        raise MergeError("; ".join(error.messages)) from error
    # The survivor's text was rebuilt by its save; the merged record lost its contacts.
    organization_refresh_search_text(organization_ids=[merged.pk])

    if candidate is None:
        first, second = _order(survivor.pk, merged.pk)
        candidate = DuplicateCandidate.objects.filter(first_id=first, second_id=second).first()
    if candidate is not None:
        candidate.status = DuplicateCandidate.Status.MERGED
        candidate.decided_by = user
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    # Other open pairs of the merged record are moot; the finder finds the survivor's again.
    undo["removed_candidates"] = [
        _snapshot_candidate(c)
        for c in DuplicateCandidate.objects.open().filter(Q(first=merged) | Q(second=merged))
    ]
    DuplicateCandidate.objects.open().filter(Q(first=merged) | Q(second=merged)).delete()
    return MergeRecord.objects.create(
        survivor=survivor,
        merged=merged,
        candidate=candidate,
        merged_by=user,
        undo_data=undo,
        summary=summary,
    )


def _snapshot_candidate(candidate: DuplicateCandidate) -> dict:
    return {
        "first": candidate.first_id,
        "second": candidate.second_id,
        "score": candidate.score,
        "reasons": candidate.reasons,
    }


@transaction.atomic
def merge_undo(*, merge: MergeRecord, user) -> MergeRecord:
    """Undo a merge: both records as they were, every moved row back where it was."""
    from django.apps import apps

    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at:
        raise MergeError(_("this merge has already been undone."))
    survivor = Organization.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Organization.objects.select_for_update().get(pk=merge.merged_id)
    if Organization.objects.filter(merged_into=merged).exclude(pk=survivor.pk).exists() or (
        MergeRecord.objects.filter(
            merged=survivor, merged_at__gt=merge.merged_at, undone_at__isnull=True
        ).exists()
    ):
        raise MergeError(_("undo the later merges of these organisations first."))
    undo = merge.undo_data
    reason = f"merge undone: #{merged.pk} out of #{survivor.pk}"
    for entry in reversed(undo.get("moved", [])):
        model = apps.get_model(entry["model"])
        row = model._default_manager.filter(pk=entry["pk"]).first()
        if row is None:
            continue  # deleted since: nothing to bring back
        model_field = model._meta.get_field(entry["field"])
        setattr(row, model_field.attname, merged.pk)
        for flag, value in entry["restore"].items():
            setattr(row, flag, value)
        row._change_reason = reason
        row._history_user = user
        row.save(update_fields=[model_field.name, *entry["restore"]])
    for entry in undo.get("reverse_m2m", []):
        model = apps.get_model(entry["model"])
        row = model._default_manager.filter(pk=entry["pk"]).first()
        if row is None:
            continue
        manager = getattr(row, entry["field"])
        manager.add(merged.pk)
        if not entry["had_survivor"]:
            manager.remove(survivor.pk)
    for name, added in undo.get("m2m_added", {}).items():
        getattr(survivor, name).remove(*added)

    # Identifiers first off the survivor, then back on the merged record.
    _restore_fields(survivor, undo["survivor"])
    survivor._history_user = user
    survivor._change_reason = reason
    survivor.save()
    _restore_fields(merged, undo["merged"])
    merged.merged_into = None
    merged._history_user = user
    merged._change_reason = reason
    merged.save()
    organization_refresh_search_text(organization_ids=[survivor.pk, merged.pk])

    for data in undo.get("removed_candidates", []):
        DuplicateCandidate.objects.get_or_create(
            first_id=data["first"],
            second_id=data["second"],
            defaults={"score": data["score"], "reasons": data["reasons"]},
        )
    if merge.candidate_id:
        DuplicateCandidate.objects.filter(pk=merge.candidate_id).update(
            status=DuplicateCandidate.Status.OPEN,
            decided_by=user,
            decided_at=timezone.now(),
        )
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by"])
    return merge
