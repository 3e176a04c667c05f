"""``/session/``: what a page being written asks when its session may have ended."""

from __future__ import annotations

import pytest
from django.test import Client

from journal.models import Entry
from tests.conftest import entry_data

pytestmark = pytest.mark.django_db


def test_it_says_signed_out_to_anonymous_visitors_without_a_token(client: Client) -> None:
    r = client.get("/session/")
    assert r.status_code == 200
    assert r.json() == {"signed_in": False, "csrf_token": ""}
    assert "no-cache" in r["Cache-Control"] or "max-age=0" in r["Cache-Control"]


def test_it_gives_a_signed_in_clinician_a_fresh_csrf_token_that_saves(alice: object) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)  # type: ignore[arg-type]
    data = client.get("/session/").json()
    assert data["signed_in"] is True and len(data["csrf_token"]) == 64
    form = entry_data(body="Kept", csrfmiddlewaretoken=data["csrf_token"])
    r = client.post("/entries/autosave/", form)
    assert r.status_code == 200 and r.json()["saved"] is True
    assert Entry.objects.get().body == "Kept"


def test_it_refuses_post(alice_client: Client) -> None:
    assert alice_client.post("/session/").status_code == 405


def test_autosave_after_the_session_ended_sends_to_log_in_and_keeps_nothing(
    client: Client,
) -> None:
    r = client.post("/entries/autosave/", entry_data(body="Lost?"))
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert not Entry.objects.exists()


def test_the_page_after_signing_in_again_points_back_to_the_other_tab(
    alice_client: Client, client: Client
) -> None:
    r = alice_client.get("/session/back/")
    assert r.status_code == 200
    assert "You are signed in again" in r.content.decode()
    r = client.get("/session/back/")
    assert r.status_code == 302 and r["Location"] == "/accounts/login/?next=/session/back/"


def test_the_form_links_to_sign_in_with_next_to_that_page(alice_client: Client) -> None:
    body = alice_client.get("/entries/new/?template=").content.decode()
    assert "Signed out — sign in to keep this text" in body
    assert 'href="/accounts/login/?next=/session/back/" target="_blank"' in body
    assert 'data-session-url="/session/"' in body
