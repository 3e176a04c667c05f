from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_it_logs_in_with_the_email_in_any_case(client: Client, alice: User) -> None:
    r = login(client, "  Alice@EXAMPLE.org")
    assert r.status_code == 302
    assert r["Location"] == "/"
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_it_rotates_the_session_key_at_login(client: Client, alice: User) -> None:
    client.get("/accounts/login/")
    session = client.session
    session["probe"] = "before login"
    session.save()
    before = session.session_key
    login(client, "alice@example.org")
    assert client.session.session_key != before


def test_unknown_account_and_wrong_password_look_the_same(client: Client, alice: User) -> None:
    wrong = login(client, "alice@example.org", "not the password")
    unknown = login(Client(), "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_it_locks_out_after_five_failures(client: Client, alice: User) -> None:
    for _ in range(5):
        login(client, "alice@example.org", "wrong password")
    # Even the right password is refused while locked.
    r = login(client, "ALICE@example.org")
    assert r.status_code == 429
    assert b"Too many attempts" in r.content
    assert "_auth_user_id" not in client.session


def test_lockout_for_an_unknown_account_looks_the_same(client: Client) -> None:
    for _ in range(5):
        login(client, "nobody@example.org", "wrong password")
    r = login(client, "nobody@example.org", "wrong password")
    assert r.status_code == 429
    assert b"Too many attempts" in r.content


def test_four_failures_do_not_lock_out(client: Client, alice: User) -> None:
    for _ in range(4):
        login(client, "alice@example.org", "wrong password")
    assert login(client, "alice@example.org").status_code == 302


def test_lockout_is_fifteen_minutes() -> None:
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_logout_is_post_only(alice_client: Client) -> None:
    assert alice_client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in alice_client.session
    r = alice_client.post("/accounts/logout/")
    assert r.status_code == 302
    assert "_auth_user_id" not in alice_client.session


def test_dashboard_shows_the_signed_in_user(alice_client: Client) -> None:
    r = alice_client.get("/")
    assert r.status_code == 200
    assert b"alice@example.org" in r.content
