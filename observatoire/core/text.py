"""Text helpers shared by search, deduplication and exports."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z@.]+")


class _CombiningMarks(dict):
    """`str.translate` table dropping combining marks, filled as characters are met.

    Same result as testing `unicodedata.combining` on each character, but in C once a
    character has been seen: fold runs several times on every row of a large import.
    """

    def __missing__(self, code: int) -> int | None:
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_COMBINING_MARKS = _CombiningMarks()


def fold(value: str) -> str:
    """Lower-case, accent-free, punctuation as spaces ('Cités-Unies' → 'cites unies')."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    if not decomposed.isascii():  # ASCII has no combining marks
        decomposed = decomposed.translate(_COMBINING_MARKS)
    ascii_text = decomposed.lower()
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return " ".join(_NON_WORD.sub(" ", ascii_text).split())


# Characters that make a spreadsheet cell a formula (OWASP "CSV injection").
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def spreadsheet_safe(value):
    """Neutralise text a spreadsheet would evaluate as a formula by prefixing a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value
