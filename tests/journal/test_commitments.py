from __future__ import annotations

import pytest
from django.test import Client

from journal.models import Commitment, Entry, RepairNote
from reflect.models import ReflectionTemplate, User
from tests.conftest import entry_data, repair_data

pytestmark = pytest.mark.django_db


def now_what_field() -> str:
    template = ReflectionTemplate.objects.get(slug="after-session")
    item = template.items.get(prompt__slug="now-what")
    return f"answer_{item.prompt_id}"


def test_an_entrys_now_what_becomes_an_open_commitment(
    alice_client: Client, alice: User, builtin: None
) -> None:
    field = now_what_field()
    alice_client.post(
        "/entries/new/?template=after-session",
        entry_data(**{field: "Ask about the family's view of help."}),
    )
    commitment = Commitment.objects.get()
    assert (commitment.owner, commitment.text) == (alice, "Ask about the family's view of help.")
    page = alice_client.get("/commitments/").content.decode()
    assert "Ask about the family&#x27;s view of help." in page
    assert alice_client.get("/").context["open_commitments"] == 1

    # Editing the answer edits the commitment; emptying it removes an open one.
    entry = Entry.objects.get()
    alice_client.post(
        f"/entries/{entry.pk}/edit/",
        entry_data(version=entry.version, **{field: "Ask about help."}),
    )
    assert Commitment.objects.get().text == "Ask about help."
    entry.refresh_from_db()
    alice_client.post(
        f"/entries/{entry.pk}/edit/", entry_data(version=entry.version, **{field: ""})
    )
    assert not Commitment.objects.exists()


def test_a_repair_commitment_is_listed_and_can_be_marked_done(
    alice_client: Client, alice: User
) -> None:
    alice_client.post("/repairs/new/", repair_data(commit_text="Check in next session."))
    commitment = Commitment.objects.get()
    assert commitment.repair == RepairNote.objects.get()
    r = alice_client.post(f"/commitments/{commitment.pk}/done/", {"done": "1"})
    assert r.status_code == 302
    commitment.refresh_from_db()
    assert commitment.done_at is not None
    r = alice_client.get("/commitments/")
    assert r.context["open"] == []
    assert r.context["done"] == [commitment]
    alice_client.post(f"/commitments/{commitment.pk}/done/", {"done": "0"})
    commitment.refresh_from_db()
    assert commitment.done_at is None


def test_a_done_commitment_survives_its_text_being_cleared(
    alice_client: Client, alice: User
) -> None:
    alice_client.post("/repairs/new/", repair_data(commit_text="Say sorry plainly."))
    repair = RepairNote.objects.get()
    alice_client.post(f"/commitments/{Commitment.objects.get().pk}/done/", {"done": "1"})
    alice_client.post(
        f"/repairs/{repair.pk}/edit/", repair_data(commit_text="", version=repair.version)
    )
    assert Commitment.objects.get().done_at is not None


def test_commitments_of_trashed_entries_are_hidden(
    alice_client: Client, alice: User, builtin: None
) -> None:
    alice_client.post(
        "/entries/new/?template=after-session", entry_data(**{now_what_field(): "Slow down."})
    )
    entry = Entry.objects.get()
    alice_client.post(f"/entries/{entry.pk}/delete/")
    assert alice_client.get("/commitments/").context["open"] == []
    assert alice_client.get("/").context["open_commitments"] == 0
