from __future__ import annotations

import pytest
from django.test import Client

from journal.models import Entry, EntryRevision
from reflect.models import User
from tests.conftest import entry_data

pytestmark = pytest.mark.django_db


def test_first_autosave_creates_a_draft_and_later_ones_update_it(
    alice_client: Client, alice: User
) -> None:
    data = entry_data(body="First words", status="complete")
    r = alice_client.post("/entries/autosave/", data)
    assert r.status_code == 200
    payload = r.json()
    entry = Entry.objects.get()
    assert payload["saved"] is True
    assert payload["autosave_url"] == f"/entries/{entry.pk}/autosave/"
    assert payload["edit_url"] == f"/entries/{entry.pk}/edit/"
    assert (entry.owner, entry.body, entry.status) == (alice, "First words", "draft")

    # A beacon that raced the first response still finds the same entry.
    data["body"] = "First words, and more"
    alice_client.post("/entries/autosave/", data)
    data["body"] = "First words, and more still"
    data["version"] = Entry.objects.get().version
    alice_client.post(f"/entries/{entry.pk}/autosave/", data)
    assert Entry.objects.count() == 1
    assert Entry.objects.get().body == "First words, and more still"
    # Autosaves within one open form keep no revisions of themselves.
    assert not EntryRevision.objects.exists()


def test_submitting_after_autosave_completes_the_same_entry(alice_client: Client) -> None:
    data = entry_data(body="Draft text")
    alice_client.post("/entries/autosave/", data)
    data["body"] = "Final text"
    r = alice_client.post("/entries/new/?template=", data)
    assert r.status_code == 302
    entry = Entry.objects.get()
    assert (entry.body, entry.status) == ("Final text", "complete")


def test_autosave_keeps_the_valid_parts_of_an_invalid_form(alice_client: Client) -> None:
    r = alice_client.post(
        "/entries/autosave/",
        entry_data(body="Keep this", session_date="2999-01-01", client_code="Maria"),
    )
    assert r.status_code == 200
    assert sorted(r.json()["not_saved"]) == ["client_code", "session_date"]
    entry = Entry.objects.get()
    assert entry.body == "Keep this"
    assert entry.client_code == ""


def test_autosave_of_an_existing_entry_keeps_the_earlier_version_once(
    alice_client: Client, alices_entry: Entry
) -> None:
    data = entry_data(body="Edited once", version=1)
    alice_client.post(f"/entries/{alices_entry.pk}/autosave/", data)
    data["body"] = "Edited twice"
    alice_client.post(f"/entries/{alices_entry.pk}/autosave/", data)
    alices_entry.refresh_from_db()
    assert alices_entry.body == "Edited twice"
    assert alices_entry.status == "complete"  # autosave never changes an entry's status
    assert list(EntryRevision.objects.values_list("snapshot__body", flat=True)) == [
        "The first words."
    ]


def test_autosave_answers_409_when_the_entry_changed_elsewhere(
    alice_client: Client, alices_entry: Entry
) -> None:
    alice_client.post(f"/entries/{alices_entry.pk}/autosave/", entry_data(body="Tab A", version=1))
    r = alice_client.post(
        f"/entries/{alices_entry.pk}/autosave/", entry_data(body="Tab B", version=1)
    )
    assert r.status_code == 409
    assert r.json()["conflict"] is True
    alices_entry.refresh_from_db()
    assert alices_entry.body == "Tab A"


def test_reopening_shows_the_autosaved_text(alice_client: Client) -> None:
    alice_client.post("/entries/autosave/", entry_data(body="Typed before the tab closed"))
    entry = Entry.objects.get()
    r = alice_client.get(f"/entries/{entry.pk}/edit/")
    assert "Typed before the tab closed" in r.content.decode()
    assert "draft" in alice_client.get("/entries/").content.decode()
