"""Sign-up and password reset say exactly the same for a known and an unknown email."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def visible_text(html: str) -> str:
    """What a person reads: the page without tags, hidden inputs and CSRF tokens."""
    html = re.sub(r"<(script|style|head)\b.*?</\1>", "", html, flags=re.S | re.I)
    html = re.sub(r"<[^>]+>", " ", html)
    return " ".join(html.split())


def answer(client: Client, path: str, data: dict[str, str]) -> tuple[int, str, str]:
    r = client.post(path, data, follow=True)
    final = r.redirect_chain[-1][0] if r.redirect_chain else path
    return r.status_code, final, visible_text(r.content.decode())


def test_sign_up_with_a_known_email_reads_the_same_as_a_new_one(alice: User) -> None:
    data = {"password1": PASSWORD, "password2": PASSWORD}
    known = answer(Client(), "/accounts/signup/", {"email": "alice@example.org", **data})
    unknown = answer(Client(), "/accounts/signup/", {"email": "newbie@example.org", **data})
    assert known[2] == unknown[2]
    assert known[:2] == unknown[:2] == (200, "/accounts/confirm-email/")
    assert "Check your email" in known[2]
    assert known[2].encode() == unknown[2].encode()


def test_password_reset_for_a_known_email_reads_the_same_as_an_unknown_one(alice: User) -> None:
    known = answer(Client(), "/accounts/password/reset/", {"email": "alice@example.org"})
    unknown = answer(Client(), "/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known == unknown
    assert known[2].encode() == unknown[2].encode()
    assert "If that address has an account" in known[2]


def test_a_failed_login_reads_the_same_for_a_known_and_an_unknown_email(alice: User) -> None:
    known = answer(Client(), "/accounts/login/", {"login": "alice@example.org", "password": "x"})
    unknown = answer(Client(), "/accounts/login/", {"login": "nobody@example.org", "password": "x"})
    # The form echoes the address typed; everything else is the same.
    assert known[2].replace("alice@example.org", "@") == unknown[2].replace(
        "nobody@example.org", "@"
    )
