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


class _WordCharacters(dict):
    """`str.translate` table keeping the characters of words (`_NON_WORD`'s complement) and
    turning every other one into a space, filled as characters are met."""

    def __missing__(self, code: int) -> int:
        self[code] = code if _NON_WORD.fullmatch(chr(code)) is None else 32
        return self[code]


_WORD_CHARACTERS = _WordCharacters()


def fold(value: str) -> str:
    """Lower-case, accent-free, punctuation as spaces ('Cités-Unies' → 'cites unies')."""
    if not value:
        return ""
    # The same steps as NFKD, dropping combining marks, lower-casing, spelling out ligatures
    # and replacing what is not [0-9a-z@.] by spaces, but with `str.translate` tables instead
    # of a regular expression (fold runs on every row of a large import); ASCII text needs
    # neither the decomposition nor the ligatures.
    if value.isascii():
        text = value.lower()
    else:
        text = unicodedata.normalize("NFKD", value).translate(_COMBINING_MARKS).lower()
        text = text.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return " ".join(text.translate(_WORD_CHARACTERS).split())


# Characters that make a spreadsheet cell a formula (OWASP "CSV injection").
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|")


def spreadsheet_safe(value):
    """Neutralise text a spreadsheet would evaluate as a formula by prefixing a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def unique_slug(queryset, text: str, *, fallback: str, max_length: int = 240) -> str:
    """A slug of `text` no row of `queryset` has yet: « titre », then « titre-2 », « titre-3 »…"""
    from django.utils.text import slugify

    base = slugify(text)[:max_length] or fallback
    slug, number = base, 2
    while queryset.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
