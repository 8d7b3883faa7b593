"""Write config/locale/<lang>/LC_MESSAGES/django.po: Django's own wording for the messages that
third-party apps translate again.

An installed app's catalogue has precedence over Django's (django/conf/locale), so Django REST
framework's French would replace Django's in every form of the site (« Saisissez une adresse
e-mail valide » for « … de courriel valide », « Transférez une image » for « Téléversez … »).
The catalogues of LOCALE_PATHS come first of all: this one states Django's translation again for
each message an installed app translates differently. Run it again after adding or upgrading a
dependency that ships translations: `python scripts/keep_django_wording.py`.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["fr"]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.apps import apps

    django_dir = Path(django.__file__).parent
    for language in LANGUAGES:
        core: dict[str, str] = {}
        core_catalogues = [django_dir / "conf" / "locale" / language / "LC_MESSAGES" / "django.mo"]
        core_catalogues += sorted(
            django_dir.glob(f"contrib/*/locale/{language}/LC_MESSAGES/django.mo")
        )
        for path in core_catalogues:
            for entry in polib.mofile(str(path)):
                if entry.msgstr and not entry.msgid_plural:
                    core.setdefault((entry.msgctxt or "", entry.msgid), entry.msgstr)
        overridden: dict[tuple[str, str], str] = {}
        for app in apps.get_app_configs():
            app_dir = Path(app.path)
            if app_dir.is_relative_to(django_dir) or app_dir.is_relative_to(ROOT / "observatoire"):
                continue
            mo = app_dir / "locale" / language / "LC_MESSAGES" / "django.mo"
            if not mo.exists():
                continue
            for entry in polib.mofile(str(mo)):
                key = (entry.msgctxt or "", entry.msgid)
                if key in core and entry.msgstr and entry.msgstr != core[key]:
                    overridden[key] = core[key]
        # Our own catalogues say what they mean: this file must not override them.
        ours = set()
        for path in [ROOT / "locale", *sorted((ROOT / "observatoire").glob("*/locale"))]:
            po = path / language / "LC_MESSAGES" / "django.po"
            if po.exists():
                ours.update((e.msgctxt or "", e.msgid) for e in polib.pofile(str(po)))
        overridden = {key: value for key, value in overridden.items() if key not in ours}
        catalogue = polib.POFile()
        catalogue.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Language": language,
            "X-Generated-By": "scripts/keep_django_wording.py",
        }
        for (context, msgid), msgstr in sorted(overridden.items()):
            catalogue.append(polib.POEntry(msgctxt=context or None, msgid=msgid, msgstr=msgstr))
        target = ROOT / "config" / "locale" / language / "LC_MESSAGES" / "django.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        catalogue.save(str(target))
        print(f"{target.relative_to(ROOT)}: {len(catalogue)} message(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
