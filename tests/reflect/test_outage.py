"""While the database is unreachable: 503 with JSON for autosave, a styled page elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from reflect.middleware import OUTAGE_MESSAGE
from tests.conftest import entry_data

pytestmark = pytest.mark.django_db


@contextmanager
def database_down(*, except_tables: tuple[str, ...] = ()) -> Iterator[None]:
    """Every query fails as a refused connection would, except those naming except_tables."""
    from django.db.backends.utils import CursorWrapper

    real = CursorWrapper.execute

    def execute(self: CursorWrapper, sql: str, params: Any = None) -> Any:
        if except_tables and any(table in sql for table in except_tables):
            return real(self, sql, params)
        raise OperationalError("connection to server failed: Connection refused")

    with mock.patch.object(CursorWrapper, "execute", execute):
        yield


def test_autosave_answers_503_json_when_the_database_is_down(alice_client: Client) -> None:
    with database_down():
        r = alice_client.post("/entries/autosave/", entry_data(body="Words kept in the page"))
    assert r.status_code == 503
    assert r["Content-Type"] == "application/json"
    assert r.json() == {"saved": False, "error": OUTAGE_MESSAGE}
    assert r["Retry-After"]


def test_autosave_answers_503_json_when_only_the_view_fails(alice_client: Client) -> None:
    # The session and user load; the entry's own queries fail.
    with database_down(except_tables=("django_session", "reflect_user")):
        r = alice_client.post(
            "/entries/autosave/", entry_data(body="Words"), headers={"Accept": "application/json"}
        )
    assert r.status_code == 503
    assert r.json()["saved"] is False


def test_a_page_answers_the_styled_unavailable_page(alice_client: Client) -> None:
    with database_down():
        r = alice_client.get("/entries/")
    assert r.status_code == 503
    body = r.content.decode()
    assert "temporarily unavailable" in body
    assert "/static/css/site.css" in body
    assert "style=" not in body and "<style" not in body
    assert r["Retry-After"]
    assert "Content-Security-Policy" in r


def test_a_page_failing_in_its_view_answers_503_not_500(alice_client: Client) -> None:
    with database_down(except_tables=("django_session", "reflect_user")):
        r = alice_client.get("/entries/")
    assert r.status_code == 503
    assert "temporarily unavailable" in r.content.decode()


def test_healthz_answers_503_when_the_database_is_down(client: Client) -> None:
    with database_down():
        r = client.get("/healthz")
    assert r.status_code == 503


def test_everything_works_again_once_the_database_returns(alice_client: Client) -> None:
    with database_down():
        assert alice_client.get("/entries/").status_code == 503
    assert alice_client.get("/entries/").status_code == 200
    assert alice_client.post("/entries/autosave/", entry_data(body="Back")).json()["saved"]


def test_healthz_answers_over_plain_http_behind_the_ssl_redirect(
    client: Client, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
