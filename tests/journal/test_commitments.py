from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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


def test_commitments_of_trashed_repair_notes_are_hidden(alice_client: Client, alice: User) -> None:
    alice_client.post("/repairs/new/", repair_data(commit_text="Name the rupture."))
    alice_client.post("/repairs/new/", repair_data(commit_text="Ask how it landed."))
    gone = Commitment.objects.get(text="Name the rupture.")
    alice_client.post(f"/commitments/{gone.pk}/done/", {"done": "1"})
    alice_client.post(f"/repairs/{gone.repair_id}/delete/")
    r = alice_client.get("/commitments/")
    assert [c.text for c in r.context["open"]] == ["Ask how it landed."]
    assert r.context["done"] == []
    assert r.context["page"].paginator.count == 1


def test_done_commitments_are_listed_latest_done_first(alice: User, alice_client: Client) -> None:
    repair = RepairNote.objects.create(owner=alice)
    at = timezone.now()
    first, second, third = (
        Commitment.objects.create(owner=alice, repair=repair, text=text, done_at=at)
        for text in ("First", "Second", "Third")
    )
    third.done_at = at - timedelta(days=1)
    third.save(update_fields=["done_at"])
    # Done at the same moment: the later written first, the same on every load.
    assert alice_client.get("/commitments/").context["done"] == [second, first, third]


def test_the_commitment_list_keeps_its_query_count(alice: User, alice_client: Client) -> None:
    def add(n: int) -> None:
        for i in range(n):
            entry = Entry.objects.create(owner=alice, client_code=f"C-{i}Q")
            repair = RepairNote.objects.create(owner=alice, client_code=f"C-{i}R")
            Commitment.objects.create(owner=alice, entry=entry, text=f"Open {i}")
            Commitment.objects.create(
                owner=alice, repair=repair, text=f"Done {i}", done_at=timezone.now()
            )

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert alice_client.get("/commitments/").status_code == 200
    add(60)
    with CaptureQueriesContext(connection) as many:
        r = alice_client.get("/commitments/")
    assert len(r.context["open"]) == 25 and len(r.context["done"]) == 50
    assert len(many) == len(one), [q["sql"] for q in many]
