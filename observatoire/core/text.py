"""Text helpers shared by search, deduplication and exports."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z@.]+")


def fold(value: str) -> str:
    """Lower-case, accent-free, punctuation as spaces ('Cités-Unies' → 'cites unies')."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_text = ascii_text.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return " ".join(_NON_WORD.sub(" ", ascii_text).split())


# Characters that make a spreadsheet cell a formula (OWASP "CSV injection").
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def spreadsheet_safe(value):
    """Neutralise text a spreadsheet would evaluate as a formula by prefixing a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value
