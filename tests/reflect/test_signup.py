from __future__ import annotations

import pytest
from django.test import Client

from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_creates_an_account_and_signs_in(client: Client) -> None:
    r = client.post(
        "/accounts/signup/",
        {"email": "Dana@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert r.status_code == 302
    assert r["Location"] == "/"
    user = User.objects.get()
    assert user.email == "dana@example.org"
    assert client.get("/").context["user"] == user


def test_it_refuses_an_email_that_differs_only_in_case(client: Client, alice: User) -> None:
    r = client.post(
        "/accounts/signup/",
        {"email": "ALICE@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert r.status_code == 200
    assert "already exists" in r.context["form"].errors["email"][0]
    assert User.objects.count() == 1


def test_it_keeps_the_email_when_the_password_is_weak(client: Client) -> None:
    r = client.post(
        "/accounts/signup/", {"email": "dana@example.org", "password1": "123", "password2": "123"}
    )
    assert r.status_code == 200
    assert r.context["form"].errors["password2"]
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
