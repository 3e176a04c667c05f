from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_changes_the_password(alice_client: Client, alice: User) -> None:
    r = alice_client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new long passphrase",
            "new_password2": "a new long passphrase",
        },
    )
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a new long passphrase")


def test_password_change_needs_login(client: Client) -> None:
    r = client.get("/accounts/password/change/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_reset_sends_a_working_link(client: Client, alice: User) -> None:
    r = client.post("/accounts/password/reset/", {"email": "ALICE@example.org"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link
    r = client.get(link.group(1), follow=True)
    form_url = r.redirect_chain[-1][0]
    r = client.post(
        form_url, {"new_password1": "brand new passphrase", "new_password2": "brand new passphrase"}
    )
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand new passphrase")


def test_reset_for_an_unknown_address_says_the_same(client: Client) -> None:
    r = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []
