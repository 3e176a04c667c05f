"""The identifier check in the editor: where each finding is, and "Not an identifier"."""

from __future__ import annotations

import pytest
from django.test import Client

from journal.models import Entry, RepairNote
from reflect.models import User
from tests.conftest import entry_data, repair_data

pytestmark = pytest.mark.django_db

NAMED = "I noticed Maria Gonzalez went quiet when her son Dmitri came in."


def test_autosave_says_where_each_finding_is(alice_client: Client) -> None:
    r = alice_client.post("/entries/autosave/", entry_data(body=NAMED))
    found = r.json()["identifiers"]
    assert [(f["code"], f["text"], f["field"]) for f in found] == [
        ("name", "Maria Gonzalez", "body"),
        ("name", "Dmitri", "body"),
    ]
    first = found[0]
    assert NAMED[first["start"] : first["end"]] == "Maria Gonzalez"
    assert first["kind"] == "a name"  # what the save bar says
    assert first["key"] == "name:maria gonzalez"
    assert first["field_label"]
    assert first["before"] == "I noticed "
    assert first["after"].startswith(" went quiet")


def test_context_is_cut_at_words_and_marked_as_cut(alice_client: Client) -> None:
    body = "word " * 30 + "Maria Gonzalez" + " more" * 30
    found = alice_client.post("/entries/autosave/", entry_data(body=body)).json()["identifiers"]
    assert found[0]["before"].startswith("\u2026word")
    assert found[0]["after"].endswith("more\u2026")
    assert len(found[0]["before"]) <= 42


def test_not_an_identifier_is_remembered_for_that_text(alice_client: Client) -> None:
    alice_client.post("/entries/autosave/", entry_data(body=NAMED))
    entry = Entry.objects.get()
    r = alice_client.post(f"/entries/{entry.pk}/not-an-identifier/", {"key": "name:maria gonzalez"})
    assert r.status_code == 200
    assert r.json() == {"ok": True, "key": "name:maria gonzalez"}
    entry.refresh_from_db()
    assert entry.identifiers_ok == ["name:maria gonzalez"]
    # The text and its version are untouched: an autosave in flight does not conflict.
    assert entry.body == NAMED
    data = entry_data(body=NAMED + " More.", version=entry.version)
    r = alice_client.post(f"/entries/{entry.pk}/autosave/", data)
    assert r.status_code == 200
    assert [f["text"] for f in r.json()["identifiers"]] == ["Dmitri"]

    # Saving asks only about what is still flagged.
    entry.refresh_from_db()
    r = alice_client.post(
        f"/entries/{entry.pk}/edit/", entry_data(body=NAMED, version=entry.version)
    )
    review = r.context["identifier_review"]
    assert [f.text for field in review for f in field.findings] == ["Dmitri"]


def test_marking_twice_keeps_one_key(alice_client: Client, alices_entry: Entry) -> None:
    for _ in range(2):
        alice_client.post(f"/entries/{alices_entry.pk}/not-an-identifier/", {"key": "place:boston"})
    alices_entry.refresh_from_db()
    assert alices_entry.identifiers_ok == ["place:boston"]


@pytest.mark.parametrize(
    "key", ["", "name", "name:", "colour:blue", "name:Maria", "name:" + "x" * 400]
)
def test_it_refuses_what_is_not_a_findings_key(
    alice_client: Client, alices_entry: Entry, key: str
) -> None:
    r = alice_client.post(f"/entries/{alices_entry.pk}/not-an-identifier/", {"key": key})
    assert r.status_code == 400
    alices_entry.refresh_from_db()
    assert alices_entry.identifiers_ok == []


def test_it_rejects_another_users_entry(bob_client: Client, alices_entry: Entry) -> None:
    r = bob_client.post(f"/entries/{alices_entry.pk}/not-an-identifier/", {"key": "name:x"})
    assert r.status_code == 404
    alices_entry.refresh_from_db()
    assert alices_entry.identifiers_ok == []


def test_anonymous_is_sent_to_log_in(client: Client, alices_entry: Entry) -> None:
    r = client.post(f"/entries/{alices_entry.pk}/not-an-identifier/", {"key": "name:x"})
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_get_is_refused(alice_client: Client, alices_entry: Entry) -> None:
    assert alice_client.get(f"/entries/{alices_entry.pk}/not-an-identifier/").status_code == 405


def test_it_needs_the_csrf_token(alice: User, alices_entry: Entry) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    r = strict.post(f"/entries/{alices_entry.pk}/not-an-identifier/", {"key": "name:x"})
    assert r.status_code == 403


def test_repair_notes_have_it_too(alice_client: Client, bob_client: Client) -> None:
    data = repair_data(my_part="I called her Mrs Abara instead of her chosen name.")
    r = alice_client.post("/repairs/autosave/", data)
    found = r.json()["identifiers"]
    assert [(f["field"], f["key"]) for f in found] == [("my_part", "name:mrs abara")]
    repair = RepairNote.objects.get()
    url = f"/repairs/{repair.pk}/not-an-identifier/"
    assert bob_client.post(url, {"key": "name:mrs abara"}).status_code == 404
    assert alice_client.post(url, {"key": "name:mrs abara"}).status_code == 200
    r = alice_client.post(f"/repairs/{repair.pk}/autosave/", {**data, "version": 1})
    assert r.json()["identifiers"] == []
