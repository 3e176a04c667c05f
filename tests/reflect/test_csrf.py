from __future__ import annotations

import pytest
from django.test import Client

from reflect.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_signup_needs_a_csrf_token(strict_client: Client) -> None:
    r = strict_client.post(
        "/accounts/signup/",
        {"email": "dana@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert r.status_code == 403
    assert not User.objects.exists()


def test_login_needs_a_csrf_token(strict_client: Client, alice: User) -> None:
    r = strict_client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 403


def test_logout_needs_a_csrf_token(strict_client: Client, alice: User) -> None:
    strict_client.force_login(alice)
    r = strict_client.post("/accounts/logout/")
    assert r.status_code == 403
    assert "_auth_user_id" in strict_client.session


def test_a_form_with_its_token_goes_through(strict_client: Client, alice: User) -> None:
    strict_client.get("/accounts/login/")
    token = strict_client.cookies["csrftoken"].value
    r = strict_client.post(
        "/accounts/login/",
        {"login": "alice@example.org", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert r.status_code == 302
