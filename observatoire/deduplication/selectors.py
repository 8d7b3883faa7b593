"""Reads of the deduplication: the field-by-field comparison of the merge screen, the matches
of many descriptions at once."""

import dataclasses
from dataclasses import dataclass
from typing import Any

from observatoire.organizations.models import Organization

from .blocking import FoundPair, link_items, prepare_items
from .matching import Description, find_matches
from .services import FINDER_FIELDS, MERGE_FIELDS

# The Description fields FINDER_FIELDS (after the pk) give, in their order.
DESCRIPTION_FIELDS = (
    "name", "acronym", "siren", "siret", "rna", "website", "email", "commune_id",
    "departement_id", "phone", "address", "postal_code",
)  # fmt: skip


@dataclass
class FieldComparison:
    name: str
    label: str
    first: Any
    second: Any
    default: str  # "first" or "second"

    @property
    def differ(self) -> bool:
        return self.first != self.second


def _display(organization: Organization, name: str):
    field = Organization._meta.get_field(name)
    value = getattr(organization, name)
    if field.choices:
        return getattr(organization, f"get_{name}_display")()
    if value in (None, "", {}, []):
        return ""
    return value


def merge_comparison(
    first: Organization, second: Organization, *, keep: str = "first"
) -> list[FieldComparison]:
    """Each mergeable field of the two records, with the value proposed by default.

    The default is the non-empty value, or when both are filled, the one of the record kept,
    except for fields the other record changed more recently.
    """
    recent = "first" if first.updated_at >= second.updated_at else "second"
    rows = []
    for name in MERGE_FIELDS:
        field = Organization._meta.get_field(name)
        value_first, value_second = _display(first, name), _display(second, name)
        empty_first = value_first in ("", None, False)
        empty_second = value_second in ("", None, False)
        if empty_first and not empty_second:
            default = "second"
        elif empty_second and not empty_first:
            default = "first"
        elif name == "status":
            default = keep
        else:
            default = recent if value_first != value_second else keep
        rows.append(
            FieldComparison(
                name=name,
                label=str(field.verbose_name),
                first=value_first,
                second=value_second,
                default=default,
            )
        )
    return rows


def related_counts(organization: Organization) -> dict[str, int]:
    """How many rows of each kind point at the organisation: what the merge will move."""
    from .services import _organization_relations

    counts = {}
    foreign_keys, many_to_many = _organization_relations()
    for model, model_field in foreign_keys:
        count = model._default_manager.filter(**{model_field.name: organization.pk}).count()
        if count:
            counts[str(model._meta.verbose_name_plural)] = count
    for model, field_name in many_to_many:
        count = model._default_manager.filter(**{field_name: organization.pk}).count()
        if count:
            counts[str(model._meta.verbose_name_plural)] = count
    return counts


# Up to this many descriptions without a département go through `find_matches` one by one
# (about 0.1 s each at 200,000 organisations); more are linked in a second pass of the
# blocking over the whole register (about as long as the first: 20 to 40 s at 200,000).
UNPLACED_ONE_BY_ONE = 200

# A match found for many descriptions at once: (organisation pk, score, reason codes).
ScoredMatch = tuple[int, float, list[str]]


def organization_matches_many(
    descriptions: dict[int, Description], *, min_score: float = 0.75, limit: int = 5
) -> dict[int, list[ScoredMatch]]:
    """`find_matches` for many descriptions at once (an imported file), keyed as given.

    The finder's blocking (`link_items`) replaces the per-description queries; the pairs are
    scored without word weights, as `find_matches` scores them, then filtered as it filters
    them: merged records lead to the record they were merged into (its best score kept),
    best first (score, then name, then pk), `limit` per description. Descriptions without a
    département: see UNPLACED_ONE_BY_ONE.
    """
    result: dict[int, list[ScoredMatch]] = {key: [] for key in descriptions}
    # Incoming ids are negative: the two sides of the blocking must not share an id.
    keys = {-index: key for index, key in enumerate(descriptions, start=1)}
    placed = [pk for pk, key in keys.items() if descriptions[key].departement_id]
    unplaced = [pk for pk, key in keys.items() if not descriptions[key].departement_id]
    names: dict[int, str] = {}
    merged_into: dict[int, int] = {}
    found: list[FoundPair] = []
    if len(unplaced) <= UNPLACED_ONE_BY_ONE:
        for pk in unplaced:
            for m in find_matches(descriptions[keys[pk]], limit=limit, min_score=min_score):
                found.append(FoundPair(pk, m.organization.pk, m.score, m.reason_codes))
                names[m.organization.pk] = m.organization.name
        unplaced = []
    if placed or unplaced:
        reference = []
        rows = Organization.objects.values_list(*FINDER_FIELDS, "merged_into_id")
        for pk, *values, merged in rows.iterator(chunk_size=5000):
            reference.append(
                (pk, Description(**dict(zip(DESCRIPTION_FIELDS, values, strict=True))))
            )
            names[pk] = values[0]
            if merged:
                merged_into[pk] = merged
        register = prepare_items(reference, weigh=False)
        del reference
    if placed:
        items = prepare_items([(pk, descriptions[keys[pk]]) for pk in placed], weigh=False)
        found += link_items({**register, **items}, frozenset(items), min_score=min_score)[0]
    if unplaced:
        # The blocking files the words of a name under its département: a description without
        # one meets the register's records without theirs, which changes none of their scores
        # (the département counts only when both sides have one).
        placeless = {
            pk: dataclasses.replace(item, departement_id=None) for pk, item in register.items()
        }
        items = prepare_items([(pk, descriptions[keys[pk]]) for pk in unplaced], weigh=False)
        found += link_items({**placeless, **items}, frozenset(items), min_score=min_score)[0]
    best: dict[int, dict[int, tuple[float, list[str]]]] = {}
    for pair in sorted(found, key=lambda p: (p.first_id, p.second_id)):
        pk = _survivor_pk(pair.second_id, merged_into)
        kept = best.setdefault(keys[pair.first_id], {})
        if pk not in kept or kept[pk][0] < pair.score:
            kept[pk] = (pair.score, pair.reasons)
    for key, kept in best.items():
        ordered = sorted(kept.items(), key=lambda item: (-item[1][0], names[item[0]], item[0]))
        result[key] = [(pk, score, codes) for pk, (score, codes) in ordered[:limit]]
    return result


def _survivor_pk(pk: int, merged_into: dict[int, int]) -> int:
    """`Organization.survivor` on the loaded merge links."""
    seen = {pk}
    while pk in merged_into and merged_into[pk] not in seen:
        pk = merged_into[pk]
        seen.add(pk)
    return pk
