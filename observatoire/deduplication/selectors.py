"""Reads of the deduplication: the field-by-field comparison of the merge screen."""

from dataclasses import dataclass
from typing import Any

from observatoire.organizations.models import Organization

from .services import MERGE_FIELDS


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
