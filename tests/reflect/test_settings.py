"""Settings are read from the environment and refuse unsafe values at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
STRONG_KEY = "p7Vq2r9LxK4mN8sT1wY6zB3cD5fG0hJ2kL4nP6qR8sT0vX2yZ4aB6"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_environment_passes_the_deploy_check(tmp_path: Path) -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="reflect.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_missing_secret_key_stops_start_up() -> None:
    result = manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_weak_secret_key_stops_start_up() -> None:
    result = manage("check", DJANGO_SECRET_KEY="secret")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_a_secret_key_can_come_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(STRONG_KEY + "\n")
    result = manage("check", DJANGO_SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr


def test_a_malformed_boolean_is_refused() -> None:
    result = manage("check", DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_debug_is_off_unless_set() -> None:
    assert settings.DEBUG is False
