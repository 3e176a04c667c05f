"""Every URL, generated from the URLconf, as its owner, as another clinician and anonymously.

Another clinician gets 404 for anything that names alice's things, by GET and by POST, and
sees none of her writing on pages of their own; anonymous visitors are sent to log in;
and neither changes anything of alice's.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from reflect.models import User
from tests.urlconf import Route, fill, fingerprint, hostile_post, make_journal, routes

pytestmark = pytest.mark.django_db

PRIVATE = [r for r in routes() if not r.public]
# What names one of alice's things (the supervisor's side has its own matrix).
OWNED = [r for r in PRIVATE if r.params and r.params != ["code"] and not r.supervisor_side]
MARK = "of alice@example.org"


@pytest.fixture
def journal(alice: User, builtin: None) -> dict[str, Any]:
    return make_journal(alice)


def test_every_private_url_is_covered() -> None:
    # A URL that the matrix cannot fill fails here, naming itself.
    assert len(PRIVATE) > 50
    names = (
        "prompt", "entry", "trashed_entry", "entry_revision", "repair", "trashed_repair",
        "repair_revision", "commitment", "packet", "export", "import", "identity", "passkey",
        "supervision", "share", "hours",
    )  # fmt: skip
    objects: dict[str, Any] = {name: type("Obj", (), {"pk": 1})() for name in names}
    objects.update(code="C-7Q4", uid="0b9f7c7e-8d1a-4c55-9a4e-2f7d1c3b5a60", token="t")
    for route in PRIVATE:
        assert fill(route, objects).startswith("/")


@pytest.mark.parametrize("route", PRIVATE, ids=str)
def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(
    route: Route, alice: User, journal: dict[str, Any]
) -> None:
    url = fill(route, journal)
    before = fingerprint(alice)
    for method in ("get", "post"):
        r = getattr(Client(), method)(url, hostile_post("anonymous was here"))
        assert r.status_code == 302, (method, url, r.status_code)
        assert r["Location"].startswith("/accounts/login/?next="), (method, url)
    assert fingerprint(alice) == before


@pytest.mark.parametrize("route", OWNED, ids=str)
def test_another_clinician_gets_404_and_changes_nothing(
    route: Route, alice: User, bob_client: Client, journal: dict[str, Any]
) -> None:
    url = fill(route, journal)
    missing = fill(route, {k: type("Gone", (), {"pk": 987654321})() for k in journal})
    before = fingerprint(alice)
    for method in ("get", "post"):
        r = getattr(bob_client, method)(url, hostile_post("bob was here"))
        # A POST-only action answers GET with 405 whether or not the object exists,
        # which tells nothing; everything else about another's object is a 404.
        expected = 405 if method == "get" and bob_client.get(missing).status_code == 405 else 404
        assert r.status_code == expected, (method, url, r.status_code)
        assert MARK not in r.content.decode(errors="replace")
    assert fingerprint(alice) == before


@pytest.mark.parametrize("route", OWNED, ids=str)
def test_the_owner_reaches_it(route: Route, alice_client: Client, journal: dict[str, Any]) -> None:
    r = alice_client.get(fill(route, journal))
    # 405: a POST-only action, which the owner reaches by its form.
    assert r.status_code in (200, 302, 405), r.status_code


@pytest.mark.parametrize("route", [r for r in PRIVATE if r not in OWNED], ids=str)
def test_pages_of_my_own_show_nothing_of_anyone_elses(
    route: Route, bob_client: Client, journal: dict[str, Any]
) -> None:
    r = bob_client.get(fill(route, {**journal, "code": "C-7Q4"}))
    assert r.status_code in (200, 302, 404, 405), r.status_code
    if not getattr(r, "streaming", False):
        assert MARK not in r.content.decode(errors="replace")
