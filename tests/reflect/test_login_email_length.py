"""A too-long login address is an ordinary form error, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("length", [255, 256, 5000])
def test_an_overlong_email_is_a_form_error_not_a_500(client: Client, length: int) -> None:
    email = "a" * (length - len("@example.org")) + "@example.org"
    r = client.post("/accounts/login/", {"login": email, "password": "whatever"})
    assert r.status_code == 200
    assert "Enter an email of at most 254 characters." in r.content.decode()
    # Nothing reached the lockout record (whose column would have refused it).
    assert not AccessAttempt.objects.exists()


def test_an_email_of_254_characters_gets_the_usual_answer(client: Client) -> None:
    email = "a" * (254 - len("@example.org")) + "@example.org"
    r = client.post("/accounts/login/", {"login": email, "password": "whatever"})
    assert r.status_code == 200
    assert "The email address and/or password you specified are not correct" in r.content.decode()
