from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from reflect.models import User

pytestmark = pytest.mark.django_db


def test_session_cookie_lasts_thirty_idle_minutes(alice_client: Client) -> None:
    r = alice_client.get("/")
    cookie = r.cookies["sessionid"]
    assert cookie["max-age"] == 30 * 60
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_each_request_pushes_the_deadline_on(alice_client: Client) -> None:
    alice_client.get("/")
    key = alice_client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    alice_client.get("/")
    remaining = Session.objects.get(session_key=key).expire_date - timezone.now()
    assert remaining > timedelta(minutes=29)


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
