"""The French catalogues: complete, and one translation per English text across the apps.

Each app keeps its own catalogue (observatoire/<app>/locale/) besides the project's (locale/).
Django merges them at run time, and where two give the same English text two different French
texts, one silently wins on every page: a "Done" of an import would read "Traitée".
"""

from collections import defaultdict
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
FRENCH_CATALOGUES = sorted(
    [ROOT / "locale/fr/LC_MESSAGES/django.po"]
    + list((ROOT / "observatoire").glob("*/locale/fr/LC_MESSAGES/django.po"))
)


def _entries(path):
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


@pytest.mark.parametrize("path", FRENCH_CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_catalogue_is_complete(path):
    missing = [
        e.msgid
        for e in _entries(path)
        if "fuzzy" in e.flags
        or (not e.msgid_plural and not e.msgstr)
        or (e.msgid_plural and not all(e.msgstr_plural.values()))
    ]
    assert missing == []


def test_the_same_text_has_one_french_translation_in_every_catalogue():
    translations = defaultdict(dict)
    for path in FRENCH_CATALOGUES:
        for entry in _entries(path):
            if entry.msgstr:
                translations[(entry.msgctxt, entry.msgid)][entry.msgstr] = path.name
    conflicts = {key: sorted(found) for key, found in translations.items() if len(found) > 1}
    assert conflicts == {}, "give each meaning its own pgettext context, or align the French"
