from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reflect.middleware import SESSION_REFRESHED_AT
from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_session_cookie_lasts_thirty_idle_minutes(client: Client, alice: User) -> None:
    r = client.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    cookie = r.cookies["sessionid"]
    assert cookie["max-age"] == 30 * 60
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def age_session(client: Client, *, minutes: float) -> str:
    """Make the client's session look last refreshed `minutes` ago."""
    key = client.cookies["sessionid"].value
    store = SessionStore(session_key=key)
    store[SESSION_REFRESHED_AT] = int(time.time() - minutes * 60)
    store.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=30 - minutes)
    )
    return key


def session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
        and "django_session" in q["sql"]
    ]


def test_requests_within_a_minute_never_write_the_session(alice_client: Client) -> None:
    alice_client.get("/")  # the first request after signing in stamps the session
    with CaptureQueriesContext(connection) as queries:
        for url in ["/", "/entries/", "/prompts/", "/", "/entries/", "/search/?q=calm"]:
            assert alice_client.get(url).status_code == 200
    assert session_writes(queries) == []


def test_a_request_after_a_minute_pushes_the_deadline_on(alice_client: Client) -> None:
    alice_client.get("/")
    key = age_session(alice_client, minutes=2)
    with CaptureQueriesContext(connection) as queries:
        alice_client.get("/")
    assert len(session_writes(queries)) == 1
    remaining = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert remaining > timedelta(minutes=29)


def test_a_session_idle_for_thirty_minutes_is_signed_out(alice_client: Client) -> None:
    alice_client.get("/")
    key = alice_client.cookies["sessionid"].value
    # Last activity 31 minutes ago: its deadline passed a minute ago.
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    r = alice_client.get("/entries/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_anonymous_visits_create_no_session(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/login/")
        client.get("/healthz")
    assert session_writes(queries) == []


def test_an_idle_session_expires(alice_client: Client, alice: User) -> None:
    alice_client.get("/")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    r = alice_client.get("/accounts/password/change/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_cookies_are_secure_outside_development(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    r = client.get("/accounts/login/")
    assert r.cookies["csrftoken"]["secure"]
