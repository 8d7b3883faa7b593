"""The full-text side of the public index, per database.

SQLite: an FTS5 table (`unicode61 remove_diacritics 2`) over the entry table, kept in sync by
triggers, ranked with `bm25()` weighting the name ten times the rest. PostgreSQL: a stored
tsvector column (`simple` configuration on the pre-stemmed words, name weighted A, the rest B)
with a GIN index, ranked with `ts_rank`. The user's words reach neither as typed: `portal.text`
reduces them to [0-9a-z]+ stems first.
"""

import json

from django.db import connection
from django.db.models import QuerySet

from .text import fts5_match, tsquery

NAME_WEIGHT = 10.0
# ts_rank weights for D, C, B, A: a word in the name outweighs twenty in the description.
PG_WEIGHTS = "{0, 0, 0.05, 1.0}"
# The keys a search is narrowed to by its facets (SQLite), one temporary table per connection.
KEYS_TABLE = "portal_search_keys"


def fts_table(table: str) -> str:
    return f"{table}_fts"


def fulltext_sql(table: str, key: str, vendor: str) -> tuple[list[str], list[str]]:
    """The statements that create and drop the full-text index of `table` on `vendor`."""
    if vendor == "sqlite":
        fts = fts_table(table)
        new = "new.name_text, new.body_text"
        old = "old.name_text, old.body_text"
        create = [
            f'CREATE VIRTUAL TABLE "{fts}" USING fts5(name_text, body_text, '
            f"content='{table}', content_rowid='{key}', "
            f"tokenize='unicode61 remove_diacritics 2')",
            f'CREATE TRIGGER "{fts}_ai" AFTER INSERT ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"(rowid, name_text, body_text) VALUES (new.{key}, {new}); END',
            f'CREATE TRIGGER "{fts}_ad" AFTER DELETE ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, name_text, body_text) '
            f"VALUES ('delete', old.{key}, {old}); END",
            f'CREATE TRIGGER "{fts}_au" AFTER UPDATE ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, name_text, body_text) '
            f"VALUES ('delete', old.{key}, {old}); "
            f'INSERT INTO "{fts}"(rowid, name_text, body_text) VALUES (new.{key}, {new}); END',
        ]
        drop = [
            f'DROP TRIGGER IF EXISTS "{fts}_ai"',
            f'DROP TRIGGER IF EXISTS "{fts}_ad"',
            f'DROP TRIGGER IF EXISTS "{fts}_au"',
            f'DROP TABLE IF EXISTS "{fts}"',
        ]
        return create, drop
    if vendor == "postgresql":
        create = [
            f'ALTER TABLE "{table}" ADD COLUMN document tsvector GENERATED ALWAYS AS ('
            f"setweight(to_tsvector('simple', name_text), 'A') || "
            f"setweight(to_tsvector('simple', body_text), 'B')) STORED",
            f'CREATE INDEX "{table}_document" ON "{table}" USING gin (document)',
        ]
        drop = [
            f'DROP INDEX IF EXISTS "{table}_document"',
            f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS document',
        ]
        return create, drop
    return [], []


def suspend_fulltext(entry_models) -> None:
    """Before a bulk rewrite of the entry tables (in a transaction): SQLite's full-text triggers
    are dropped, `rebuild_fulltext` recreates them and reindexes in one pass. PostgreSQL's
    document column is computed by the insert itself: nothing to do."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model in entry_models:
            table, key = _entry(model)
            _create, drop = fulltext_sql(table, key, "sqlite")
            for statement in drop[:-1]:  # the triggers, not the table
                cursor.execute(statement)


def rebuild_fulltext(entry_models) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model in entry_models:
            table, key = _entry(model)
            fts = fts_table(table)
            create, _drop = fulltext_sql(table, key, "sqlite")
            cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')
            for statement in create[1:]:  # the triggers
                cursor.execute(statement)


def _entry(model) -> tuple[str, str]:
    return model._meta.db_table, model._meta.pk.column


def matching_keys_sql(entry_model, terms: list[str]) -> tuple[str, list[str]]:
    """SQL selecting the keys (column `k`) of the entries that contain every term (last one as
    a prefix)."""
    table, key = _entry(entry_model)
    if connection.vendor == "postgresql":
        return (
            f'SELECT "{key}" AS k FROM "{table}" WHERE document @@ to_tsquery(\'simple\', %s)',
            [tsquery(terms, prefix_last=True)],
        )
    fts = fts_table(table)
    return (
        f'SELECT rowid AS k FROM "{fts}" WHERE "{fts}" MATCH %s',
        [fts5_match(terms, prefix_last=True)],
    )


def among_keys_sql(keys: list[int]) -> tuple[str, list]:
    """SQL selecting `keys` (thousands of them: more than a query may take as parameters).

    SQLite: a temporary table of this connection, filled here; PostgreSQL: an array."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::integer[])", [keys]
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{KEYS_TABLE}" (key INTEGER PRIMARY KEY)')
        cursor.execute(f'DELETE FROM temp."{KEYS_TABLE}"')
        # One statement for thousands of keys: executemany costs a call per key.
        cursor.execute(
            f'INSERT INTO temp."{KEYS_TABLE}" SELECT value FROM json_each(%s)', [json.dumps(keys)]
        )
    return f'SELECT key FROM temp."{KEYS_TABLE}"', []


def ranked_keys(
    entry_model,
    terms: list[str],
    among: QuerySet | list[int] | None,
    *,
    offset: int,
    limit: int,
) -> list[int]:
    """Keys of the entries matching `terms` (and in `among`: a queryset of keys or the keys
    themselves), best first."""
    table, key = _entry(entry_model)
    keys = among if isinstance(among, list) else None
    if keys is not None:
        among_sql, among_params = among_keys_sql(keys)
    elif among is not None:
        among_sql, among_params = among.query.sql_with_params()
    else:
        among_sql, among_params = "", ()

    def among_clause(column: str) -> str:
        return f"AND {column} IN ({among_sql})" if among_sql else ""

    if connection.vendor == "postgresql":
        sql = (
            f'SELECT e."{key}" FROM "{table}" e, to_tsquery(\'simple\', %s) q '
            f"WHERE e.document @@ q {among_clause('e.' + key)} "
            f"ORDER BY ts_rank('{PG_WEIGHTS}'::float4[], e.document, q) DESC, "
            f'e.sort_name, e."{key}" '
            f"LIMIT %s OFFSET %s"
        )
        params = [tsquery(terms, prefix_last=True), *among_params, limit, offset]
    else:
        fts = fts_table(table)
        score = f'bm25("{fts}", {NAME_WEIGHT}, 1.0)'
        if keys is not None:
            # The match runs once; each hit is looked up in the (small) table of keys.
            hits = (
                f'SELECT "{fts}".rowid AS k, {score} AS s FROM "{fts}" CROSS JOIN '
                f'temp."{KEYS_TABLE}" t ON t.key = "{fts}".rowid WHERE "{fts}" MATCH %s'
            )
        else:
            # The unary plus keeps SQLite from looking the FTS table up once per key of `among`
            # (a MATCH per key): the match runs once, then each hit is checked against `among`.
            hits = (
                f'SELECT rowid AS k, {score} AS s FROM "{fts}" WHERE "{fts}" MATCH %s '
                f"{among_clause('+rowid')}"
            )
        # Each hit is scored once; only those scoring at most the last asked for (ties
        # included, so the order is unchanged) are joined to their entry for the name order:
        # joining the 87,550 hits of a common word cost more than scoring them.
        sql = (
            f"WITH hits AS MATERIALIZED ({hits}), "
            f"cut AS (SELECT s FROM hits ORDER BY s LIMIT 1 OFFSET %s) "
            f'SELECT h.k FROM hits h JOIN "{table}" e ON e."{key}" = h.k '
            f"WHERE h.s <= coalesce((SELECT s FROM cut), 1e308) "
            f'ORDER BY h.s, e.sort_name, e."{key}" LIMIT %s OFFSET %s'
        )
        params = [
            fts5_match(terms, prefix_last=True),
            *(among_params if keys is None else ()),
            offset + limit - 1,
            limit,
            offset,
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]
