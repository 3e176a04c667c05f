from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client

from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    # allauth counts emails sent per address in the cache; each test starts afresh.
    cache.clear()


def sign_up(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password}
    )


def confirmation_path(message: mail.EmailMessage) -> str:
    match = re.search(r"http://testserver(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_it_creates_an_account_that_waits_for_its_email(client: Client) -> None:
    r = sign_up(client, "Dana@Example.org")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/confirm-email/"
    user = User.objects.get()
    assert user.email == "dana@example.org"
    assert user.check_password(PASSWORD)
    assert not EmailAddress.objects.get(user=user).verified
    # Not signed in until the address is confirmed.
    assert client.get("/entries/").status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dana@example.org"]


def test_the_emailed_link_confirms_signs_in_and_offers_two_factor(client: Client) -> None:
    sign_up(client, "dana@example.org")
    path = confirmation_path(mail.outbox[0])
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my email" in page.content.decode()
    r = client.post(path)
    assert r.status_code == 302
    assert r["Location"] == "/accounts/welcome/"
    assert EmailAddress.objects.get(email="dana@example.org").verified
    welcome = client.get("/accounts/welcome/").content.decode()
    assert "Set up an authenticator app" in welcome
    assert "Not now, go to my journal" in welcome
    assert client.get("/entries/").status_code == 200


def test_an_unverified_account_cannot_sign_in(client: Client) -> None:
    sign_up(client, "dana@example.org")
    other = Client()
    r = other.post("/accounts/login/", {"login": "dana@example.org", "password": PASSWORD})
    assert r.status_code == 302
    assert r["Location"] == "/accounts/confirm-email/"
    assert other.get("/entries/").status_code == 302


def test_a_known_email_gets_the_same_answer_and_no_second_account(
    client: Client, alice: User
) -> None:
    r = sign_up(client, "ALICE@example.org")
    assert r.status_code == 302
    assert r["Location"] == "/accounts/confirm-email/"
    assert User.objects.count() == 1
    # The owner of the address is told, not the visitor.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "already" in mail.outbox[0].body


def test_it_keeps_the_email_when_the_password_is_weak(client: Client) -> None:
    r = sign_up(client, "dana@example.org", "123")
    assert r.status_code == 200
    assert r.context["form"].errors["password1"]
    assert 'value="dana@example.org"' in r.content.decode()
    assert not User.objects.exists()


def test_it_sends_a_signed_in_user_to_the_dashboard(alice_client: Client) -> None:
    r = alice_client.get("/accounts/signup/")
    assert r.status_code == 302
    assert r["Location"] == "/"


def test_landing_page_is_shown_when_signed_out(client: Client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert b"Create an account" in r.content
