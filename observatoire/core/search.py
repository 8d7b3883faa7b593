"""Substring search on a model's folded `search_text` column, fast on both databases.

SQLite answers from an FTS5 table with the trigram tokenizer (kept in sync by triggers), and
PostgreSQL from a pg_trgm GIN index: both give the same results as `search_text LIKE '%word%'`.
"""

from django.db import connection
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
