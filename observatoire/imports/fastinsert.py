"""Bulk inserts without the ORM's per-value preparation, for imports of millions of rows.

`bulk_create` prepares every value through its field (`get_db_prep_save`) and builds the SQL
again for each batch: most of the time of a large import. Here the rows come as plain tuples,
already adapted, and go to the database in one `executemany`; their history rows are copied
from them by the database itself (`INSERT … SELECT`), not rebuilt in Python. The rows are those
`bulk_create` would write, history rows included (the same fields simple-history's
`bulk_history_create` fills). Tests compare both paths.
"""

import contextlib
from collections.abc import Callable, Iterator, Sequence
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


class NewRows:
    """How tuples of the columns `given` (attnames, in order) become rows of `model`.

    Columns the tuples leave out take the `fixed` value, else what a new instance would
    (default, auto_now timestamp), adapted once for all rows. `adapt(name, value)` gives the
    database value of one column, for callers that adapt a value once and reuse it.
    """

    def __init__(self, model, given: Sequence[str], fixed: dict[str, Any] | None = None):
        self.model = model
        self.now = timezone.now()
        self.given = tuple(given)
        plan = _row_plan(model, self.now, fixed or {})
        unknown = set(self.given) - {attname for attname, _c, _v in plan}
        if unknown:
            raise ValueError(f"NewRows: not columns of {model.__name__}: {sorted(unknown)}")
        self._converters = {attname: convert for attname, convert, _v in plan}
        self.shared_columns = tuple(a for a, _c, _v in plan if a not in self.given)
        self.shared = tuple(v for a, _c, v in plan if a not in self.given)

    def adapt(self, name: str, value):
        convert = self._converters[name]
        return convert(value) if convert is not None and value is not None else value

    def insert(self, rows: Sequence[tuple], *, user=None, reason: str = "") -> Sequence[int]:
        """INSERT the rows and their "+" history rows; returns their primary keys, in order."""
        if not rows:
            return []
        model, quote = self.model, connection.ops.quote_name
        table, pk_column = quote(model._meta.db_table), quote(model._meta.pk.column)
        names = (*self.given, *self.shared_columns)
        columns = ", ".join(quote(model._meta.get_field(a).column) for a in names)
        shared = self.shared
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Keys taken from the sequence first: concurrent inserts cannot interleave.
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [model._meta.db_table, model._meta.pk.column, len(rows)],
                )
                pks = [key for (key,) in cursor.fetchall()]
                cursor.executemany(
                    f"INSERT INTO {table} ({pk_column}, {columns}) "
                    f"VALUES ({', '.join(['%s'] * (len(names) + 1))})",
                    [(key, *row, *shared) for key, row in zip(pks, rows, strict=True)],
                )
            else:
                assert connection.in_atomic_block, "NewRows.insert needs a transaction"
                # SQLite gives the keys in sequence (largest + 1, AUTOINCREMENT), and from the
                # first row on this transaction holds the write lock: no other writer between.
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})",
                    [(*row, *shared) for row in rows],
                )
                cursor.execute("SELECT last_insert_rowid()")
                (last,) = cursor.fetchone()
                pks = range(last - len(rows) + 1, last + 1)
        copy_history(model, pks, now=self.now, user=user, reason=reason)
        return pks


def copy_history(model, pks: Sequence[int], *, now, user=None, reason: str = "") -> None:
    """The "+" history rows of the just-inserted rows `pks`, copied from them by the database."""
    history_model = model.history.model
    quote = connection.ops.quote_name
    tracked = [field.attname for field in history_model.tracked_fields]
    specials = {
        "history_date": now,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": user.pk if user is not None else None,
    }
    copied, params = [], []
    for field, convert in _columns(history_model):
        if field.attname in tracked:
            copied.append(quote(model._meta.get_field(field.attname).column))
        else:
            value = specials[field.attname] if field.attname in specials else field.get_default()
            params.append(convert(value) if convert is not None and value is not None else value)
            copied.append("%s")
    columns = ", ".join(quote(f.column) for f, _c in _columns(history_model))
    head = "INSERT INTO {} ({}) SELECT {} FROM {} WHERE {} ".format(
        quote(history_model._meta.db_table),
        columns,
        ", ".join(copied),
        quote(model._meta.db_table),
        quote(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        if isinstance(pks, range) and pks.step == 1:
            cursor.execute(head + "BETWEEN %s AND %s", [*params, pks.start, pks.stop - 1])
        elif connection.vendor == "postgresql":
            cursor.execute(head + "= ANY(%s)", [*params, list(pks)])
        else:
            for start in range(0, len(pks), 500):
                part = list(pks[start : start + 500])
                # SQLite has no array parameter: one "%s" marker per key, 500 keys at a time.
                markers = ", ".join(["%s"] * len(part))
                cursor.execute(head + f"IN ({markers})", [*params, *part])


# A smaller import keeps the indexes: dropping and creating them again would cost more.
DEFER_INDEXES_MIN_ROWS = 20_000


@contextlib.contextmanager
def secondary_indexes_deferred(models_, *, rows: int, keep: Sequence[str] = ()) -> Iterator[None]:
    """Inside a transaction, on SQLite, build the secondary indexes of tables about to grow by
    `rows` rows once at the end instead of row by row.

    Each row inserted updates every index of its table, one random B-tree page each: for an
    import as large as the table, sorting the whole table once per index at the end is about
    twice as fast. Only tables with fewer than `rows` rows are concerned (on a larger table,
    indexing it again would cost more than it saves); unique indexes (constraints, checked as
    rows come) and indexes on the columns `keep` (queried during the import) stay. Like the
    search index's trigger, the DROP and CREATE are part of the transaction: other connections
    never see an index missing, and a rollback brings them back. PostgreSQL keeps its indexes.
    """
    if connection.vendor != "sqlite" or rows < DEFER_INDEXES_MIN_ROWS:
        yield
        return
    assert connection.in_atomic_block, "secondary_indexes_deferred needs a transaction"
    dropped: list[str] = []
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            # The largest rowid bounds the number of rows, without counting them.
            cursor.execute(f'SELECT coalesce(max(rowid), 0) FROM "{table}"')
            if cursor.fetchone()[0] >= rows:
                continue
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                "AND sql IS NOT NULL",  # NULL: the indexes of constraints (UNIQUE), kept
                [table],
            )
            for name, sql in cursor.fetchall():
                if sql.upper().startswith("CREATE UNIQUE"):
                    continue  # a constraint: checked row by row, as the rows come
                cursor.execute(f'PRAGMA index_info("{name}")')
                if any(column in keep for _rank, _cid, column in cursor.fetchall()):
                    continue
                cursor.execute(f'DROP INDEX "{name}"')
                dropped.append(sql)
    yield  # on an error, the transaction's rollback brings the indexes back
    with connection.cursor() as cursor:
        for sql in dropped:
            cursor.execute(sql)
