"""A NUL byte anywhere in a request is answered 400, never stored or a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD, entry_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    ["/entries/%00/", "/review/clients/C%00/", "/search/?q=a%00b", "/review/?year=%00", "/?%00=1"],
)
def test_it_refuses_a_nul_in_the_path_or_query(alice_client: Client, url: str) -> None:
    r = alice_client.get(url)
    assert r.status_code == 400
    assert "could not be read" in r.content.decode()


def test_it_refuses_a_nul_in_a_form_field(alice_client: Client) -> None:
    r = alice_client.post("/entries/autosave/", entry_data(body="before\x00after"))
    assert r.status_code == 400


def test_it_refuses_a_percent_encoded_nul_in_a_raw_form_body(client: Client) -> None:
    r = client.post(
        "/accounts/login/",
        "login=a%00b%40example.org&password=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 400


def test_it_refuses_a_nul_in_a_multipart_field(alice_client: Client) -> None:
    r = alice_client.post("/prompts/new/", {"text": "why\x00", "category": "self"})
    assert r.status_code == 400


def test_ordinary_requests_pass(client: Client, alice: object) -> None:
    r = client.post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get("/search/?q=100%25 sure").status_code == 200


def test_a_body_over_the_cap_is_refused_with_400(client: Client) -> None:
    r = client.post(
        "/accounts/login/",
        "login=a&password=" + "x" * 3_000_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 400
