"""Words as the public search index stores and looks them up: folded, then stemmed in French.

The same function prepares the indexed text and the user's query, so "Formations" finds
"formation" and "Sénégal" finds "senegal" on both databases; the databases only split on spaces
(SQLite FTS5 `unicode61`, PostgreSQL's `simple` configuration) and never stem themselves.
"""

import re
from functools import lru_cache

import snowballstemmer

from observatoire.core.text import fold

_WORD = re.compile(r"[0-9a-z]+")
_STEMMER = snowballstemmer.stemmer("french")

# The most frequent French and English small words: a query keeps its meaning without them and
# finds more ("eau et assainissement" = "eau assainissement"). The indexed text keeps them.
STOP_WORDS = frozenset(
    "a au aux avec ce ces d dans de des du en et l la le les leur n ne ou par pas pour qu que "
    "qui s sa se ses sur un une y and for in of on the to".split()
)
MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 40
# Longer queries are cut before folding: nobody types more, and folding megabytes costs.
MAX_QUERY_CHARACTERS = 500


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def words(text: str) -> list[str]:
    """The folded words of `text`, digits and letters only (no quote, operator or star)."""
    return _WORD.findall(fold(text))


def index_terms(*texts: str) -> str:
    """The text of an index column: stemmed words separated by spaces."""
    return " ".join(stem(word) for text in texts if text for word in words(text))


def query_terms(query: str) -> list[str]:
    """The stems a search for `query` must all find, in the order typed (stop words dropped)."""
    found = [w[:MAX_WORD_LENGTH] for w in words((query or "")[:MAX_QUERY_CHARACTERS])]
    kept = [w for w in found if w not in STOP_WORDS] or found
    return [stem(w) for w in kept][:MAX_QUERY_WORDS]


def fts5_match(terms: list[str], *, prefix_last: bool) -> str:
    """An FTS5 MATCH expression requiring every term; terms are [0-9a-z]+, quoted anyway."""
    parts = [f'"{term}"' for term in terms]
    if prefix_last and parts:
        parts[-1] += "*"
    return " ".join(parts)


def tsquery(terms: list[str], *, prefix_last: bool) -> str:
    """A `to_tsquery('simple', ...)` expression requiring every term."""
    parts = [f"'{term}'" for term in terms]
    if prefix_last and parts:
        parts[-1] += ":*"
    return " & ".join(parts)
