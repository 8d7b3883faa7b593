"""Compile every locale/*/LC_MESSAGES/*.po of the project into its .mo, without GNU gettext.

`manage.py compilemessages` needs gettext's msgfmt, a system package; polib is a pinned Python
dependency, so `make run` works on a machine with nothing but Python. Fuzzy and obsolete
entries are left out, as msgfmt does. A .mo newer than its .po is kept.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", "node_modules", ".git", "var", "staticfiles"}


def po_files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*.po"):
        relative = path.relative_to(root)
        if SKIPPED_DIRS.intersection(relative.parts):
            continue
        if path.parent.name == "LC_MESSAGES" and "locale" in relative.parts:
            found.append(path)
    return sorted(found)


def main() -> int:
    compiled = 0
    for po_path in po_files(ROOT):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            catalog = polib.pofile(str(po_path), check_for_duplicates=True)
        except (OSError, ValueError) as error:
            print(f"{po_path.relative_to(ROOT)}: {error}", file=sys.stderr)
            return 1
        catalog.save_as_mofile(str(mo_path))
        compiled += 1
        print(f"compiled {mo_path.relative_to(ROOT)} ({catalog.percent_translated()}% translated)")
    if not compiled:
        print("messages: nothing to compile")
    return 0


if __name__ == "__main__":
    sys.exit(main())
