from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from reflect.models import User
from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db

NEW = "a new long passphrase"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def test_it_changes_the_password(alice_client: Client, alice: User) -> None:
    r = alice_client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW)
    # This session stays signed in.
    assert alice_client.get("/entries/").status_code == 200


def test_a_password_change_signs_out_every_other_session(alice: User) -> None:
    here, elsewhere = signed_in(alice), signed_in(alice)
    assert elsewhere.get("/entries/").status_code == 200
    here.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert here.get("/entries/").status_code == 200
    r = elsewhere.get("/entries/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_the_wrong_current_password_changes_nothing(alice_client: Client, alice: User) -> None:
    r = alice_client.post(
        "/accounts/password/change/",
        {"oldpassword": "not it at all", "password1": NEW, "password2": NEW},
    )
    assert r.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_password_change_needs_login(client: Client) -> None:
    r = client.get("/accounts/password/change/")
    assert r.status_code == 302
    assert r["Location"].startswith("/accounts/login/")


def test_reset_sends_a_working_link(client: Client, alice: User) -> None:
    r = client.post("/accounts/password/reset/", {"email": "ALICE@example.org"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link
    r = client.get(link.group(1), follow=True)
    form_url = r.redirect_chain[-1][0]
    r = client.post(
        form_url, {"password1": "brand new passphrase", "password2": "brand new passphrase"}
    )
    assert r.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand new passphrase")


def test_reset_for_an_unknown_address_says_the_same(client: Client, alice: User) -> None:
    known = client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    # Only the real account is written to.
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
