"""The sessions list on the account page, signing out elsewhere, and "last seen"."""

from __future__ import annotations

import time

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from reflect.middleware import SESSION_REFRESHED_AT
from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Version/17.4 Mobile Safari/604.1"


def log_in(agent: str) -> Client:
    client = Client(headers={"User-Agent": agent})
    r = client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 302
    return client


def test_the_account_page_lists_my_sessions_by_device(alice: User) -> None:
    here, phone = log_in(FIREFOX), log_in(IPHONE)
    page = here.get("/accounts/profile/").content.decode()
    assert "Firefox on Windows" in page
    assert "Safari on iPhone" in page
    assert "This device" in page
    assert "Sign out everywhere else" in page
    assert phone.get("/entries/").status_code == 200


def test_sign_out_everywhere_else_ends_the_other_sessions(alice: User, bob: User) -> None:
    here, phone = log_in(FIREFOX), log_in(IPHONE)
    bobs = Client()
    bobs.post("/accounts/login/", {"login": "bob@example.org", "password": PASSWORD})
    r = here.post("/accounts/sessions/")
    assert r.status_code == 302
    assert here.get("/entries/").status_code == 200
    assert phone.get("/entries/").status_code == 302
    assert bobs.get("/entries/").status_code == 200  # someone else's sessions are untouched
    assert UserSession.objects.filter(user=alice).count() == 1


def test_last_seen_moves_when_the_idle_deadline_does(alice: User) -> None:
    client = log_in(FIREFOX)
    client.get("/entries/")
    session = UserSession.objects.get(user=alice)
    seen = session.last_seen_at
    client.get("/entries/")  # within the minute: nothing written
    assert UserSession.objects.get(pk=session.pk).last_seen_at == seen
    key = client.cookies["sessionid"].value
    store = SessionStore(session_key=key)
    store[SESSION_REFRESHED_AT] = int(time.time() - 120)
    store.save()
    client.get("/entries/")
    assert UserSession.objects.get(pk=session.pk).last_seen_at > seen


def test_login_keeps_the_next_address(alice: User) -> None:
    client = Client()
    page = client.get("/accounts/login/?next=/entries/new/").content.decode()
    assert 'name="next" value="/entries/new/"' in page
    r = client.post(
        "/accounts/login/",
        {"login": "alice@example.org", "password": PASSWORD, "next": "/entries/new/"},
    )
    assert r["Location"] == "/entries/new/"


def test_login_refuses_a_next_address_on_another_site(alice: User) -> None:
    r = Client().post(
        "/accounts/login/",
        {"login": "alice@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert r["Location"] == "/"
