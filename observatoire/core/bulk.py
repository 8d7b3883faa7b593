"""Reading many records a chunk at a time, as the public index rebuild and the open data do."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet


def id_range(owner: str, ids: Iterable[int]) -> dict:
    """A lookup on the range `ids` span: cheaper to build and to run than a list of thousands
    of ids. It may bring rows of records outside the chunk; callers look up only their own."""
    ids = sorted(ids)
    return {f"{owner}__gte": ids[0], f"{owner}__lte": ids[-1]} if ids else {f"{owner}__in": []}


def grouped_by_owner(
    rows: QuerySet, owner: str, value: str, ids: Iterable[int], *, ordered: bool = True
) -> dict[int, list]:
    """{owner id: [value, …]} of `rows` (a link table, say) for the owners in `ids`' range;
    each list in the order of its values when `ordered`, as the database gives them otherwise."""
    grouped: dict[int, list] = defaultdict(list)
    rows = rows.filter(**id_range(owner, ids))
    rows = rows.order_by(owner, value) if ordered else rows.order_by()
    for owner_id, item in rows.values_list(owner, value):
        grouped[owner_id].append(item)
    return grouped
