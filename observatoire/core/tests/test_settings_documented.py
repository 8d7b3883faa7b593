"""Every environment variable the settings read is documented in the README."""

import re
from pathlib import Path

from django.conf import settings


def test_every_environment_variable_is_documented():
    source = (Path(settings.BASE_DIR) / "config" / "settings.py").read_text()
    names = set(re.findall(r"""env(?:_bool|_list)?\(\s*["']([A-Z_]+)["']""", source))
    names |= set(re.findall(r"""os\.environ\.get\(\s*["']([A-Z_]+)["']""", source))
    assert len(names) > 10
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == [], f"Undocumented settings: {missing}"
