"""Production settings: refuse to start insecurely, and pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def clean_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """An environment with none of the test run's settings, only what a deployment would set."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "DATA_DIR": str(tmp_path)}
    env.update(variables)
    return env


def run_python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "secret_key",
    [
        None,
        "django-insecure-development-only-key-do-not-use-in-production",
        "django-insecure-" + secrets.token_urlsafe(50),
        "too-short",
        "a" * 60,
    ],
    ids=["unset", "development-key", "insecure-prefix", "short", "repetitive"],
)
def test_settings_refuse_an_insecure_secret_key_without_debug(tmp_path, secret_key):
    env = clean_env(tmp_path)
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = run_python(env, "-c", "import config.settings")

    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY" in result.stderr


def test_settings_accept_a_strong_secret_key_without_debug(tmp_path):
    env = clean_env(tmp_path, SECRET_KEY=secrets.token_urlsafe(50))

    result = run_python(env, "-c", "import config.settings as s; print(s.DEBUG)")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_deployment_checklist_reports_nothing(tmp_path):
    env = clean_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="observatoire.example.org",
    )

    result = run_python(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_every_source_map_a_static_file_names_is_shipped():
    # The production storage (manifest) rewrites every reference a CSS or JS file makes,
    # source maps included, and `collectstatic` fails the deployment when one is missing.
    missing = []
    for path in (ROOT / "static").rglob("*"):
        if path.suffix not in {".js", ".css"}:
            continue
        for line in path.read_text(errors="replace").splitlines():
            if "sourceMappingURL=" in line:
                name = line.split("sourceMappingURL=", 1)[1].strip(" */")
                if not (path.parent / name).exists():
                    missing.append(f"{path.relative_to(ROOT)}: {name}")

    assert missing == []
