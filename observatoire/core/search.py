"""Substring search on a model's folded `search_text` column, fast on both databases.

SQLite answers from an FTS5 table with the trigram tokenizer (kept in sync by triggers), and
PostgreSQL from a pg_trgm GIN index: both give the same results as `search_text LIKE '%word%'`.
"""

import contextlib
from collections.abc import Callable, Iterator

from django.db import DatabaseError, connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .text import fold

# The trigram tokenizer cannot index words shorter than this; those fall back to LIKE.
TRIGRAM = 3
MAX_WORDS = 8


def search_words(term: str) -> list[str]:
    return [word for word in fold(term).split() if word][:MAX_WORDS]


def fts_table_name(table: str) -> str:
    return f"{table}_fts"


def filter_by_search_text(queryset: QuerySet, term: str) -> QuerySet:
    """Rows whose search text contains every word of `term` (accents and case ignored)."""
    words = search_words(term)
    if not words:
        return queryset
    long_words = [w for w in words if len(w) >= TRIGRAM]
    short_words = [w for w in words if len(w) < TRIGRAM]
    if connection.vendor == "sqlite" and long_words:
        table = fts_table_name(queryset.model._meta.db_table)
        match = " AND ".join('"{}"'.format(w.replace('"', '""')) for w in long_words)
        queryset = queryset.filter(
            pk__in=RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [match])
        )
    else:
        short_words = words
    for word in short_words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def search_index_sql(table: str, vendor: str) -> tuple[list[str], list[str]]:
    """The statements that create and drop the search index of `table` on `vendor`."""
    if vendor == "sqlite":
        fts = fts_table_name(table)
        create = [
            f"CREATE VIRTUAL TABLE \"{fts}\" USING fts5(search_text, content='{table}', "
            f"content_rowid='id', tokenize='trigram')",
            f'CREATE TRIGGER "{fts}_ai" AFTER INSERT ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END',
            f'CREATE TRIGGER "{fts}_ad" AFTER DELETE ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
            f"VALUES ('delete', old.id, old.search_text); END",
            f'CREATE TRIGGER "{fts}_au" AFTER UPDATE OF search_text ON "{table}" BEGIN '
            f'INSERT INTO "{fts}"("{fts}", rowid, search_text) '
            f"VALUES ('delete', old.id, old.search_text); "
            f'INSERT INTO "{fts}"(rowid, search_text) VALUES (new.id, new.search_text); END',
            f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
        ]
        drop = [
            f'DROP TRIGGER IF EXISTS "{fts}_ai"',
            f'DROP TRIGGER IF EXISTS "{fts}_ad"',
            f'DROP TRIGGER IF EXISTS "{fts}_au"',
            f'DROP TABLE IF EXISTS "{fts}"',
        ]
        return create, drop
    if vendor == "postgresql":
        index = f"{table}_search_trgm"
        create = [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            f'CREATE INDEX IF NOT EXISTS "{index}" ON "{table}" '
            f"USING gin (search_text gin_trgm_ops)",
        ]
        return create, [f'DROP INDEX IF EXISTS "{index}"']
    return [], []


@contextlib.contextmanager
def search_index_deferred(model) -> Iterator[Callable[[], None]]:
    """Inside a transaction, index the model's new rows in bulk instead of row by row.

    On SQLite the FTS5 insert trigger costs about three quarters of a large import's writes
    (each row goes through the trigger program alone): it is dropped here, and the caller
    calls the yielded function after each batch to index, in one statement, the rows inserted
    since. The index is thus up to date after every batch, so the update and delete triggers
    (kept) stay correct. The trigger is created again on the way out; if the transaction
    rolls back, SQLite's transactional DDL restores it anyway, and other connections never
    see it missing (the change is visible only at commit). PostgreSQL maintains its GIN index
    itself: nothing to do there.

    Rows must be inserted with their final search text: changing it before the next call
    would make the update trigger remove from the index a row that is not in it (FTS5
    "malformed" errors).
    """
    table = model._meta.db_table
    if connection.vendor != "sqlite":
        yield lambda: None
        return
    # Outside a transaction the DROP would commit at once: other connections would index
    # nothing while the import runs.
    assert connection.in_atomic_block, "search_index_deferred needs a transaction"
    fts = fts_table_name(table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{fts}_ai"]
        )
        found = cursor.fetchone()
    if found is None:  # no search index on this table
        yield lambda: None
        return
    (create_trigger,) = found

    def last_id() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"')
            return cursor.fetchone()[0]

    indexed_up_to = last_id()

    def index_new_rows() -> None:
        nonlocal indexed_up_to
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{fts}"(rowid, search_text) '
                f'SELECT id, search_text FROM "{table}" WHERE id > %s',
                [indexed_up_to],
            )
        indexed_up_to = last_id()

    # FTS5 merges its segments a little at each write ("automerge"): during a large import that
    # rewrites the new rows' index over and over (a third of the indexing time at 200,000 rows).
    # Merging is left to the crisis merges while the import runs, then set back; like the
    # trigger, the setting is part of the transaction.
    # Likewise FTS5 writes its in-memory index to a new segment each time it holds 1 MB
    # ("hashsize"): at 200,000 rows that makes hundreds of segments to merge; 64 MB, during the
    # import only, makes a few.
    settings = {
        "automerge": (_fts_setting(fts, "automerge", FTS5_DEFAULT_AUTOMERGE), 0),
        "hashsize": (_fts_setting(fts, "hashsize", FTS5_DEFAULT_HASHSIZE), IMPORT_HASHSIZE),
    }
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TRIGGER "{fts}_ai"')
        for name, (_before, during) in settings.items():
            cursor.execute(f'INSERT INTO "{fts}"("{fts}", rank) VALUES (%s, %s)', [name, during])

    def restore() -> None:
        with connection.cursor() as cursor:
            cursor.execute(create_trigger)
            for name, (before, _during) in settings.items():
                cursor.execute(
                    f'INSERT INTO "{fts}"("{fts}", rank) VALUES (%s, %s)', [name, before]
                )

    try:
        yield index_new_rows
        index_new_rows()  # whatever the caller wrote after its last call
    except BaseException:
        try:
            restore()
        except DatabaseError:
            pass  # a broken transaction: its rollback restores the trigger and the setting
        raise
    restore()


FTS5_DEFAULT_AUTOMERGE = 4
FTS5_DEFAULT_HASHSIZE = 1024 * 1024
IMPORT_HASHSIZE = 64 * 1024 * 1024


def _fts_setting(fts: str, name: str, default: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT v FROM "{fts}_config" WHERE k = %s', [name])
        found = cursor.fetchone()
    return int(found[0]) if found is not None else default
