"""Sensitive actions ask the clinician to confirm it is them first."""

from __future__ import annotations

import pytest
from django.test import Client

from reflect.models import SecurityEvent, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REAUTH = "/accounts/reauthenticate/?next="


@pytest.fixture
def fresh_login(alice: User) -> Client:
    """Signed in with the password a while ago: no recent re-authentication."""
    client = Client()
    r = client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 302
    return client


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/export/backup/"),
        ("get", "/export/import/"),
        ("get", "/accounts/delete/"),
        ("get", "/accounts/2fa/totp/activate/"),
        ("get", "/accounts/2fa/webauthn/add/"),
        ("get", "/accounts/2fa/recovery-codes/generate/"),
    ],
)
def test_it_asks_to_confirm_first(fresh_login: Client, method: str, path: str) -> None:
    r = getattr(fresh_login, method)(path)
    assert r.status_code == 302
    assert r["Location"].startswith(REAUTH), r["Location"]


def test_after_the_password_the_backup_downloads(fresh_login: Client, alice: User) -> None:
    r = fresh_login.post("/export/backup/")
    assert r["Location"] == REAUTH + "%2Fexport%2Fbackup%2F"
    r = fresh_login.post(
        "/accounts/reauthenticate/", {"password": PASSWORD, "next": "/export/backup/"}
    )
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith('attachment; filename="reflect-backup-')
    b"".join(r.streaming_content)  # type: ignore[attr-defined]
    assert SecurityEvent.objects.filter(owner=alice, kind="backup").count() == 1


def test_a_wrong_password_downloads_nothing(fresh_login: Client, alice: User) -> None:
    fresh_login.post("/export/backup/")
    r = fresh_login.post(
        "/accounts/reauthenticate/", {"password": "not my password", "next": "/export/backup/"}
    )
    assert r.status_code == 200
    assert "Content-Disposition" not in r
    assert not SecurityEvent.objects.filter(kind="backup").exists()


def test_delete_after_confirming_removes_the_account(fresh_login: Client, alice: User) -> None:
    fresh_login.post("/accounts/reauthenticate/", {"password": PASSWORD, "next": "/"})
    assert fresh_login.get("/accounts/delete/").status_code == 200
    r = fresh_login.post("/accounts/delete/", {"password": PASSWORD})
    assert r.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()


def test_changing_the_email_asks_to_confirm_first(fresh_login: Client, alice: User) -> None:
    from allauth.account.models import EmailAddress

    r = fresh_login.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert r.status_code == 302
    assert r["Location"].startswith(REAUTH)
    assert not EmailAddress.objects.filter(email="new@example.org").exists()
