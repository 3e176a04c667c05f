"""One time budget: gunicorn's timeout follows REQUEST_TIMEOUT_SECONDS, with grace."""

from __future__ import annotations

import runpy
from typing import Any

from django.conf import settings

CONF = str(settings.BASE_DIR / "reflect" / "gunicorn.conf.py")


def test_request_timeout_defaults_to_thirty_seconds() -> None:
    assert settings.REQUEST_TIMEOUT_SECONDS == 30


def test_gunicorns_timeout_is_the_budget_plus_grace(settings: Any) -> None:
    settings.REQUEST_TIMEOUT_SECONDS = 45
    conf = runpy.run_path(CONF)
    assert conf["timeout"] == 45 + conf["TIMEOUT_GRACE_SECONDS"]
    assert conf["TIMEOUT_GRACE_SECONDS"] > 0


def test_request_bodies_are_capped_but_the_import_has_its_own_limit() -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    assert settings.IMPORT_MAX_BYTES == 64 * 1024 * 1024
    assert settings.IMPORT_MAX_BYTES > 12 * 1024 * 1024  # a 10,000-entry backup
