"""Every entry URL: the owner gets through, bob gets 404, anonymous goes to log in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from journal.models import Entry, EntryRevision
from reflect.models import User
from tests.conftest import entry_data

pytestmark = pytest.mark.django_db


def urls(entry: Entry, revision: EntryRevision) -> list[tuple[str, str]]:
    return [
        ("get", f"/entries/{entry.pk}/"),
        ("get", f"/entries/{entry.pk}/edit/"),
        ("post", f"/entries/{entry.pk}/edit/"),
        ("post", f"/entries/{entry.pk}/autosave/"),
        ("get", f"/entries/{entry.pk}/history/"),
        ("post", f"/entries/{entry.pk}/history/{revision.pk}/restore/"),
        ("post", f"/entries/{entry.pk}/delete/"),
    ]


@pytest.fixture
def revision(alices_entry: Entry) -> EntryRevision:
    return EntryRevision.objects.create(
        entry=alices_entry, version=0, snapshot={"body": "older", "answers": []}
    )


def call(client: Client, method: str, url: str) -> Any:
    data = entry_data(version=1) if method == "post" else None
    return getattr(client, method)(url, data)


def test_bob_gets_404_everywhere(
    bob_client: Client, alices_entry: Entry, revision: EntryRevision
) -> None:
    for method, url in urls(alices_entry, revision):
        assert call(bob_client, method, url).status_code == 404, (method, url)
    alices_entry.deleted_at = alices_entry.created_at
    alices_entry.save()
    assert bob_client.post(f"/entries/{alices_entry.pk}/restore/").status_code == 404
    fresh = Entry.objects.get(pk=alices_entry.pk)
    assert fresh.body == "The first words."
    assert fresh.version == 1


def test_anonymous_is_sent_to_log_in(
    client: Client, alices_entry: Entry, revision: EntryRevision
) -> None:
    for method, url in [
        *urls(alices_entry, revision),
        ("get", "/entries/"),
        ("get", "/entries/new/"),
        ("get", "/entries/trash/"),
        ("post", "/entries/autosave/"),
    ]:
        r = call(client, method, url)
        assert r.status_code == 302, (method, url)
        assert r["Location"].startswith("/accounts/login/")


def test_every_post_needs_csrf(alice: User, alices_entry: Entry, revision: EntryRevision) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    posts = [u for m, u in urls(alices_entry, revision) if m == "post"]
    for url in [
        *posts,
        "/entries/autosave/",
        "/entries/new/?template=",
        f"/entries/{alices_entry.pk}/restore/",
    ]:
        assert strict.post(url, entry_data(version=1)).status_code == 403, url
    assert Entry.objects.count() == 1
    assert Entry.objects.get().version == 1


def test_actions_refuse_get(alice_client: Client, alices_entry: Entry, revision: EntryRevision):  # type: ignore[no-untyped-def]
    for url in [
        f"/entries/{alices_entry.pk}/autosave/",
        f"/entries/{alices_entry.pk}/delete/",
        f"/entries/{alices_entry.pk}/restore/",
        f"/entries/{alices_entry.pk}/history/{revision.pk}/restore/",
        "/entries/autosave/",
    ]:
        assert alice_client.get(url).status_code == 405, url


def test_owner_sees_the_entry_rendered(alice_client: Client, alices_entry: Entry) -> None:
    r = alice_client.get(f"/entries/{alices_entry.pk}/")
    assert r.status_code == 200
    assert "<p>The first words.</p>" in r.content.decode()
