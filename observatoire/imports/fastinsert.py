"""Bulk inserts without the ORM's per-value preparation, for imports of millions of rows.

`bulk_create` prepares every value through its field (`get_db_prep_save`) and builds the SQL
again for each batch: most of the time of a large import. Here the SQL is built once per batch
size and only the values that need it (dates, decimals, JSON) go through the backend's
adapters; the rows are those `bulk_create` would write, history rows included (the same fields
simple-history's `bulk_history_create` fills). Tests compare both paths.
"""

import operator
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    ops = connection.ops
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        return ops.adapt_datetimefield_value
    if internal == "DateField":
        return ops.adapt_datefield_value
    if internal == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    if internal == "JSONField":
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _columns(model) -> list[tuple[models.Field, Callable | None]]:
    return [
        (field, _converter(field))
        for field in model._meta.concrete_fields
        if not isinstance(field, models.AutoField | models.BigAutoField)
    ]


def _values(obj, columns, constants: dict[str, Any]) -> list:
    values = []
    for field, convert in columns:
        if field.attname in constants:
            values.append(constants[field.attname])
            continue
        value = getattr(obj, field.attname)
        values.append(convert(value) if convert is not None and value is not None else value)
    return values


def insert_returning_pks(objs: Sequence[models.Model]) -> None:
    """INSERT the objects (all of one model) and set their primary keys, as bulk_create does."""
    if not objs:
        return
    model = type(objs[0])
    now = timezone.now()
    columns = _columns(model)
    # The same timestamp on every row: adapted once, not once a row.
    constants = {}
    for field, convert in columns:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
            constants[field.attname] = convert(now) if convert is not None else now
    quote = connection.ops.quote_name
    pk_column = quote(model._meta.pk.column)
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f, _c in columns)
    )
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_batch = max(1, (connection.features.max_query_params or 30000) // len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            batch = objs[start : start + per_batch]
            params: list = []
            for obj in batch:
                params.extend(_values(obj, columns, constants))
            sql = head + ", ".join([row_sql] * len(batch)) + f" RETURNING {pk_column}"
            cursor.execute(sql, params)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias


def insert_history(objs: Sequence[models.Model], *, user=None, reason: str = "") -> None:
    """The "+" history rows of newly created objects, as `bulk_history_create` writes them."""
    if not objs:
        return
    model = type(objs[0])
    history_model = model.history.model
    tracked = {field.attname for field in history_model.tracked_fields}
    now = timezone.now()
    columns = _columns(history_model)
    specials = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }
    # What each column takes, decided once for all rows: a value the same on every row
    # (adapted once), or the object's attribute.
    plan: list[tuple[bool, Any, Callable | None]] = []
    for field, convert in columns:
        if field.attname in specials:
            value = specials[field.attname]
        elif field.attname in tracked or hasattr(objs[0], field.attname):
            plan.append((False, field.attname, convert))
            continue
        else:
            value = field.get_default()
        plan.append((True, convert(value) if convert and value is not None else value, None))
    rows = []
    for obj in objs:
        row = []
        for constant, value, convert in plan:
            if not constant:
                value = getattr(obj, value)
                if convert is not None and value is not None:
                    value = convert(value)
            row.append(value)
        rows.append(row)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(history_model._meta.db_table),
        ", ".join(quote(f.column) for f, _c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _row_plan(model, now, extra: dict[str, Any]) -> list[tuple[str, Callable | None, Any]]:
    """For each column: (attname, converter, adapted value when the row does not give one).

    The fallback is the value a new instance would have: `extra`, then now for auto_now
    fields, else the field's default; adapted once for all rows.
    """
    plan = []
    for field, convert in _columns(model):
        if field.attname in extra:
            value = extra[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        if convert is not None and value is not None:
            value = convert(value)
        plan.append((field.attname, convert, value))
    return plan


class _Layout:
    """How the rows of one batch become parameters: the columns the rows give first (taken by
    one C-level `itemgetter` a row), then those every row shares (adapted once)."""

    def __init__(self, model, plan, given: set[str], extra_columns: tuple[str, ...] = ()):
        quote = connection.ops.quote_name
        taken = [(a, c) for a, c, _v in plan if a in given and a not in extra_columns]
        self.shared = tuple(v for a, _c, v in plan if a not in given and a not in extra_columns)
        names = [a for a, _c in taken] + list(extra_columns)
        names += [a for a, _c, _v in plan if a not in given and a not in extra_columns]
        self.columns = ", ".join(quote(model._meta.get_field(a).column) for a in names)
        self.width = len(names)
        self._get = operator.itemgetter(*[a for a, _c in taken])
        self._single = len(taken) == 1
        self._convert = [(i, c) for i, (_a, c) in enumerate(taken) if c is not None]

    def values(self, row: dict[str, Any], extra: tuple = ()) -> tuple:
        given = self._get(row)
        if self._single:
            given = (given,)
        if self._convert:
            given = list(given)
            for index, convert in self._convert:
                if given[index] is not None:
                    given[index] = convert(given[index])
            given = tuple(given)
        return given + extra + self.shared


def _per_statement(width: int) -> int:
    limit = connection.features.max_query_params or 30000
    if connection.vendor == "sqlite":
        # Django assumes 999 host parameters for every SQLite; builds since 3.32 take 32,766.
        raw = connection.connection
        limit = max(limit, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return max(1, min(limit // width, 500))


def insert_rows(model, rows: Sequence[dict[str, Any]], *, user=None, reason: str = "") -> list:
    """INSERT new rows given as {attname: value}, and their "+" history rows; returns the pks.

    The path of large imports: no model instances. Columns a row leaves out take what a new
    instance would (default, auto_now timestamp); the rows are those `insert_returning_pks`
    and `insert_history` write for the same instances (tests compare them). Every row gives
    the same columns.
    """
    if not rows:
        return []
    now = timezone.now()
    quote = connection.ops.quote_name
    given = set(rows[0])
    if any(row.keys() != rows[0].keys() for row in rows):
        raise ValueError("insert_rows: every row must give the same columns")
    layout = _Layout(model, _row_plan(model, now, {}), given)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({layout.columns}) VALUES "
    row_sql = "(" + ", ".join(["%s"] * layout.width) + ")"
    per_statement = _per_statement(layout.width)
    returning = f" RETURNING {quote(model._meta.pk.column)}"
    pks: list = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            params: list = []
            for row in batch:
                params.extend(layout.values(row))
            cursor.execute(head + ", ".join([row_sql] * len(batch)) + returning, params)
            pks.extend(pk for (pk,) in cursor.fetchall())
    history_model = model.history.model
    history_plan = _row_plan(
        history_model,
        now,
        {
            "history_date": now,
            "history_change_reason": reason,
            "history_type": "+",
            "history_user_id": user.pk if user is not None else None,
            # The history copies of auto_now fields are plain: same timestamp as the rows.
            **{
                field.attname: now
                for field in model._meta.concrete_fields
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            },
        },
    )
    pk_name = model._meta.pk.attname
    history = _Layout(history_model, history_plan, given, extra_columns=(pk_name,))
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(history_model._meta.db_table),
        history.columns,
        ", ".join(["%s"] * history.width),
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [history.values(row, (pk,)) for row, pk in zip(rows, pks, strict=True)]
        )
    return pks
