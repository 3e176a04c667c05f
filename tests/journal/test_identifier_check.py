"""The identifier check where it shows: saving, autosave, and the command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from journal.models import Answer, Entry, RepairNote
from reflect.models import Prompt, User
from tests.conftest import entry_data, repair_data

pytestmark = pytest.mark.django_db

NAMED = "I noticed Maria Gonzalez went quiet."


def test_saving_text_with_a_name_asks_first(alice_client: Client) -> None:
    r = alice_client.post("/entries/new/?template=", entry_data(body=NAMED))
    assert r.status_code == 200
    html = r.content.decode()
    assert "this may identify a client" in html
    assert '<mark>Maria Gonzalez</mark> <span class="identifier-kind">(a name)</span>' in html
    assert 'name="save_anyway"' in html
    assert NAMED in html  # what was typed stays in the form
    assert not Entry.objects.exists()


def test_save_anyway_saves_and_is_remembered_for_that_text(alice_client: Client) -> None:
    data = entry_data(body=NAMED)
    r = alice_client.post("/entries/new/?template=", {**data, "save_anyway": "1"})
    assert r.status_code == 302
    entry = Entry.objects.get()
    assert entry.identifiers_ok == ["name:maria gonzalez"]

    # The same passage does not ask again; a new identifier does, and only about itself.
    again = entry_data(body=NAMED + " Call 020 7946 0018.", version=entry.version)
    r = alice_client.post(f"/entries/{entry.pk}/edit/", again)
    assert r.status_code == 200
    review = r.context["identifier_review"]
    assert [(f.kind, f.text) for field in review for f in field.findings] == [
        ("phone", "020 7946 0018")
    ]
    r = alice_client.post(
        f"/entries/{entry.pk}/edit/", entry_data(body=NAMED, version=entry.version)
    )
    assert r.status_code == 302


def test_answers_are_checked_too(alice_client: Client, builtin: None) -> None:
    prompt = Prompt.objects.get(slug="what-happened")
    data = entry_data(**{f"answer_{prompt.pk}": "Her email is a.b@example.org"})
    r = alice_client.post("/entries/new/?template=after-session", data)
    assert r.status_code == 200
    assert r.context["identifier_review"][0].label == prompt.text
    assert not Answer.objects.exists()


def test_client_codes_and_ordinary_words_pass(alice_client: Client, alice: User) -> None:
    body = "C-7Q4 spoke about faith on Monday; I used Driscoll's cycle and ADDRESSING."
    r = alice_client.post("/entries/new/?template=", entry_data(body=body))
    assert r.status_code == 302


def test_autosave_never_blocks_but_mentions_what_it_sees(alice_client: Client) -> None:
    r = alice_client.post("/entries/autosave/", entry_data(body=NAMED))
    assert r.status_code == 200
    assert r.json()["saved"] is True
    assert [(f["kind"], f["text"]) for f in r.json()["identifiers"]] == [
        ("a name", "Maria Gonzalez")
    ]
    assert Entry.objects.get().body == NAMED


def test_repair_notes_are_checked_the_same_way(alice_client: Client) -> None:
    data = repair_data(my_part="I called her Mrs Abara instead of her chosen name.")
    r = alice_client.post("/repairs/new/", data)
    assert r.status_code == 200
    assert r.context["identifier_review"]
    assert not RepairNote.objects.exists()
    r = alice_client.post("/repairs/new/", {**data, "save_anyway": "1"})
    assert r.status_code == 302
    assert RepairNote.objects.get().identifiers_ok == ["name:mrs abara"]


def test_the_command_reports_per_entry_without_text_unless_asked(alice: User) -> None:
    flagged = Entry.objects.create(owner=alice, body="Ring 020 7946 0018 about Wei Zhang.")
    Entry.objects.create(owner=alice, body="Nothing identifying here.")
    out = StringIO()
    call_command("scan_identifiers", "--email", "ALICE@example.org", stdout=out)
    text = out.getvalue()
    assert f"entry {flagged.pk} (" in text
    assert "Notes: phone" in text
    assert "Notes: name" in text
    assert "Wei Zhang" not in text
    assert "1 of 2 entries and repair notes have possible identifiers." in text
    out = StringIO()
    call_command("scan_identifiers", "--email", "alice@example.org", "--show-text", stdout=out)
    assert "Notes: name: Wei Zhang" in out.getvalue()
