from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_answers_ok_after_a_database_round_trip(
    client: Client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        r = client.get("/healthz")
    assert r.status_code == 200
    assert r.content == b"ok\n"


def test_it_answers_503_when_the_database_is_down(client: Client) -> None:
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        r = client.get("/healthz")
    assert r.status_code == 503


def test_it_only_answers_get(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
