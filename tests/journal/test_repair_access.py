"""Every repair and commitment URL: owner only (404 for bob), log-in, CSRF, POST-only."""

from __future__ import annotations

import pytest
from django.test import Client

from journal.models import Commitment, RepairNote, RepairRevision
from reflect.models import User
from tests.conftest import repair_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def revision(alices_repair: RepairNote) -> RepairRevision:
    return RepairRevision.objects.create(repair=alices_repair, version=0, snapshot={})


@pytest.fixture
def commitment(alice: User, alices_repair: RepairNote) -> Commitment:
    return Commitment.objects.create(owner=alice, repair=alices_repair, text="Ask first.")


def routes(repair: RepairNote, revision: RepairRevision, commitment: Commitment) -> list:
    return [
        ("get", f"/repairs/{repair.pk}/"),
        ("get", f"/repairs/{repair.pk}/edit/"),
        ("post", f"/repairs/{repair.pk}/edit/"),
        ("post", f"/repairs/{repair.pk}/autosave/"),
        ("get", f"/repairs/{repair.pk}/history/"),
        ("post", f"/repairs/{repair.pk}/history/{revision.pk}/restore/"),
        ("post", f"/repairs/{repair.pk}/follow-ups/"),
        ("post", f"/repairs/{repair.pk}/delete/"),
        ("post", f"/commitments/{commitment.pk}/done/"),
    ]


def send(client: Client, method: str, url: str):  # type: ignore[no-untyped-def]
    if method == "post":
        data = {**repair_data(version=1), "date": "2026-01-01", "note": "n", "done": "1"}
        return client.post(url, data)
    return client.get(url)


def test_bob_gets_404_everywhere(bob_client, alices_repair, revision, commitment) -> None:  # type: ignore[no-untyped-def]
    for method, url in routes(alices_repair, revision, commitment):
        assert send(bob_client, method, url).status_code == 404, (method, url)
    alices_repair.refresh_from_db()
    assert (alices_repair.version, alices_repair.deleted_at, alices_repair.my_part) == (
        1,
        None,
        "My words.",
    )
    commitment.refresh_from_db()
    assert commitment.done_at is None
    assert "Ask first." not in bob_client.get("/commitments/").content.decode()


def test_anonymous_is_sent_to_log_in(client, alices_repair, revision, commitment) -> None:  # type: ignore[no-untyped-def]
    extra = [
        ("get", "/repairs/"),
        ("get", "/repairs/new/"),
        ("post", "/repairs/autosave/"),
        ("get", "/commitments/"),
    ]
    for method, url in [*routes(alices_repair, revision, commitment), *extra]:
        r = send(client, method, url)
        assert r.status_code == 302, (method, url)
        assert r["Location"].startswith("/accounts/login/")


def test_every_post_needs_csrf(alice, alices_repair, revision, commitment) -> None:  # type: ignore[no-untyped-def]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    posts = [u for m, u in routes(alices_repair, revision, commitment) if m == "post"]
    for url in [*posts, "/repairs/new/", "/repairs/autosave/"]:
        assert send(strict, "post", url).status_code == 403, url
    assert RepairNote.objects.count() == 1


def test_actions_refuse_get(alice_client, alices_repair, revision, commitment) -> None:  # type: ignore[no-untyped-def]
    posts = [
        u
        for m, u in routes(alices_repair, revision, commitment)
        if m == "post" and not u.endswith("/edit/")
    ]
    for url in [*posts, "/repairs/autosave/"]:
        assert alice_client.get(url).status_code == 405, url
