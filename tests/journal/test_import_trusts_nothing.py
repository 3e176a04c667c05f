"""An import and a revision restore trust nothing in what they are given.

bob has private things (a prompt, an entry, a repair note, a packet). alice crafts
backups that name them every way there is (primary key, uid, slug) and imports them,
then restores the revisions: each is refused with a message that says where, and no
text of bob's appears anywhere in alice's journal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from journal.backup import backup_stream
from journal.models import (
    Answer,
    Entry,
    EntryRevision,
    ImportJob,
    Packet,
    RepairNote,
    RepairRevision,
    SupervisionSession,
)
from reflect.models import Prompt, User

pytestmark = pytest.mark.django_db

SECRET = "Bob's private question about his own supervisor"


@pytest.fixture
def bobs(bob: User, builtin: None) -> dict[str, Any]:
    prompt = Prompt.objects.create(owner=bob, text=SECRET, category="growth")
    entry = Entry.objects.create(owner=bob, body="Bob's entry text", client_code="C-4K7")
    Answer.objects.create(entry=entry, owner=bob, prompt=prompt, text="Bob's answer")
    repair = RepairNote.objects.create(owner=bob, my_part="Bob's repair text")
    packet = Packet.objects.create(owner=bob, title="Bob's packet")
    return {"prompt": prompt, "entry": entry, "repair": repair, "packet": packet}


@pytest.fixture
def alices_backup(alice: User, builtin: None) -> dict[str, Any]:
    """A real backup of alice's: one entry answering a built-in prompt, one repair note."""
    builtin_prompt = Prompt.objects.builtin().first()
    assert builtin_prompt is not None
    entry = Entry.objects.create(owner=alice, body="Mine", client_code="C-7Q4")
    Answer.objects.create(entry=entry, owner=alice, prompt=builtin_prompt, text="My answer")
    EntryRevision.objects.create(entry=entry, version=1, snapshot={"body": "older"})
    repair = RepairNote.objects.create(owner=alice, entry=entry, my_part="My part")
    RepairRevision.objects.create(repair=repair, version=1, snapshot={"my_part": "older"})
    packet = Packet.objects.create(owner=alice, title="Mine")
    SupervisionSession.objects.create(
        owner=alice, date=date(2026, 3, 3), minutes=60, supervisor_name="Jordan Reyes"
    ).packets.add(packet)
    doc = json.loads("".join(backup_stream(alice)))
    # Import into a fresh account: nothing of this is there yet.
    Entry.objects.filter(owner=alice).delete()
    RepairNote.objects.filter(owner=alice).delete()
    Packet.objects.filter(owner=alice).delete()
    SupervisionSession.objects.filter(owner=alice).delete()
    return doc


def run_import(client: Client, doc: Any) -> ImportJob:
    raw = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    r = client.post("/export/import/", {"file": SimpleUploadedFile("b.json", raw)})
    assert r.status_code == 302, r.content[:500]
    job = ImportJob.objects.order_by("-pk").first()
    assert job is not None
    return job


def nothing_of_bob_in(client: Client, alice: User) -> None:
    assert not Entry.objects.filter(owner=alice).exists()
    assert not SupervisionSession.objects.filter(owner=alice).exists()
    assert not Answer.objects.filter(owner=alice, prompt__owner__isnull=False).exists()
    urls = [
        "/entries/",
        "/review/",
        "/insights/",
        "/review/prompts/",
        "/export/packets/",
        "/hours/",
    ]
    for url in urls:
        page = client.get(url).content.decode()
        assert SECRET not in page and "Bob's" not in page, url


def craft(doc: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    crafted = json.loads(json.dumps(doc))
    change(crafted)
    return crafted


def set_answer_prompt(ref: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["entries"][0]["answers"][0]["prompt"] = ref

    return change


def set_revision_prompt(ref: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["entries"][0]["revisions"][0]["snapshot"] = {
            "answers": [{"prompt": ref, "prompt_text": "x", "text": "y"}]
        }

    return change


@pytest.mark.parametrize(
    ("name", "make", "where"),
    [
        ("by primary key", lambda b: set_answer_prompt(b["prompt"].pk), "entries[0].answers"),
        (
            "by uid",
            lambda b: set_answer_prompt({"own": str(b["prompt"].uid)}),
            "entries[0].answers",
        ),
        ("by slug", lambda b: set_answer_prompt({"builtin": "bobs-own"}), "entries[0].answers"),
        (
            "by a built-in slug for an own prompt",
            lambda b: set_answer_prompt({"builtin": str(b["prompt"].uid)}),
            "entries[0].answers",
        ),
        (
            "in a revision, by uid",
            lambda b: set_revision_prompt({"own": str(b["prompt"].uid)}),
            "entries[0].revisions[0].snapshot.answers",
        ),
        (
            "in a revision, by primary key",
            lambda b: set_revision_prompt(b["prompt"].pk),
            "entries[0].revisions[0].snapshot.answers",
        ),
        (
            "a repair note linked to bob's entry",
            lambda b: lambda d: d["repairs"][0].update(entry=str(b["entry"].uid)),
            "repairs[0].entry",
        ),
        (
            "a repair revision linked to bob's entry",
            lambda b: (
                lambda d: d["repairs"][0]["revisions"][0].update(
                    snapshot={"entry": str(b["entry"].uid)}
                )
            ),
            "repairs[0].revisions[0].snapshot.entry",
        ),
        (
            "a packet holding bob's entry",
            lambda b: lambda d: d["packets"][0].update(entries=[str(b["entry"].uid)]),
            "packets[0].entries[0]",
        ),
        (
            "a packet holding bob's repair note",
            lambda b: lambda d: d["packets"][0].update(repairs=[str(b["repair"].uid)]),
            "packets[0].repairs[0]",
        ),
        (
            "a supervision session discussing bob's packet, by uid",
            lambda b: lambda d: d["supervision_sessions"][0].update(packets=[str(b["packet"].uid)]),
            "supervision_sessions[0].packets[0]",
        ),
        (
            "a supervision session discussing bob's packet, by primary key",
            lambda b: lambda d: d["supervision_sessions"][0].update(packets=[b["packet"].pk]),
            "supervision_sessions[0].packets[0]",
        ),
        (
            "a commitment on bob's entry",
            lambda b: (
                lambda d: d["commitments"].append(
                    {
                        "entry": str(b["entry"].uid),
                        "repair": None,
                        "prompt": None,
                        "text": "x",
                        "done_at": None,
                        "created_at": "2026-01-01T00:00:00+00:00",
                    }
                )
            ),
            "commitments[0].entry",
        ),
        (
            "a preference on bob's prompt",
            lambda b: (
                lambda d: d["prompt_preferences"].append(
                    {"prompt": {"own": str(b["prompt"].uid)}, "pinned": True, "hidden": False}
                )
            ),
            "prompt_preferences[0].prompt",
        ),
    ],
)
def test_it_refuses_a_backup_naming_another_clinicians_things(
    alice_client: Client,
    alice: User,
    bobs: dict[str, Any],
    alices_backup: dict[str, Any],
    name: str,
    make: Any,
    where: str,
) -> None:
    job = run_import(alice_client, craft(alices_backup, make(bobs)))
    assert job.status == "failed", name
    assert job.error.startswith(where), job.error
    page = alice_client.get(f"/export/import/{job.pk}/").content.decode()
    assert "Nothing was imported." in page
    nothing_of_bob_in(alice_client, alice)


def test_the_untouched_backup_imports(
    alice_client: Client, alice: User, bobs: dict[str, Any], alices_backup: dict[str, Any]
) -> None:
    job = run_import(alice_client, alices_backup)
    assert job.status == "done", job.error
    assert job.added["entries"] == 1 and job.added["repairs"] == 1 and job.added["packets"] == 1
    assert job.added["supervision sessions"] == 1
    repair = RepairNote.objects.get(owner=alice)
    assert repair.entry is not None and repair.entry.owner == alice
    session = SupervisionSession.objects.get(owner=alice)
    assert [p.owner for p in session.packets.all()] == [alice]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["entries"][0].update(tags="family"), "entries[0].tags: must be a list"),
        (
            lambda d: d["entries"][0]["revisions"][0].update(snapshot="body"),
            "entries[0].revisions[0].snapshot: must be an object",
        ),
        (
            lambda d: d["entries"][0].update(status="published"),
            "entries[0].status: 'published' is not one of the choices",
        ),
        (lambda d: d["entries"][0].update(session_kind=7), "entries[0].session_kind: must be text"),
        (
            lambda d: d["repairs"][0].update(status="fixed"),
            "repairs[0].status: 'fixed' is not one of the choices",
        ),
        (
            lambda d: d["repairs"][0]["follow_ups"].append(
                {
                    "date": "2026-01-02",
                    "note": "x",
                    "new_status": "bogus",
                    "created_at": "2026-01-02T00:00:00+00:00",
                }
            ),
            "repairs[0].follow_ups[0].new_status",
        ),
        (
            lambda d: d["entries"][0].update(addressing_domains=["astrology"]),
            "entries[0].addressing_domains: unknown ADDRESSING domain",
        ),
        (
            lambda d: d["entries"][0].update(addressing_domains="age"),
            "entries[0].addressing_domains: must be a list",
        ),
        (
            lambda d: d["entries"][0].update(client_code="John Smith"),
            "entries[0].client_code: This looks like a name",
        ),
        (
            lambda d: d["entries"][0].update(session_date="14/03/2026"),
            "entries[0].session_date: must be a date",
        ),
        (
            lambda d: d["repairs"][0].update(moment_date="2026-02-30"),
            "repairs[0].moment_date: must be a date",
        ),
        (lambda d: d["entries"][0].update(body="x" * 100_001), "entries[0].body: is longer than"),
        (
            lambda d: d["entries"][0].update(bring_to_supervision="yes"),
            "entries[0].bring_to_supervision: must be true or false",
        ),
        (lambda d: d["entries"][0].update(version="3"), "entries[0].version"),
        (lambda d: d["entries"][0].update(template="no-such-template"), "entries[0].template"),
        (
            lambda d: d["account"].update(time_zone="Mars/Olympus_Mons"),
            "account.time_zone: 'Mars/Olympus_Mons' is not a known time zone",
        ),
        (
            lambda d: d["own_prompts"].append(
                {"uid": "x", "text": "q", "guidance": "", "category": "growth"}
            ),
            "own_prompts[0].uid",
        ),
        (
            lambda d: d["identity_map_versions"].append(
                {"created_at": "2026-01-01T00:00:00+00:00", "data": {"domains": "all"}}
            ),
            "identity_map_versions[0].data",
        ),
    ],
)
def test_a_value_its_form_would_refuse_is_refused_with_its_place(
    alice_client: Client, alice: User, alices_backup: dict[str, Any], change: Any, message: str
) -> None:
    job = run_import(alice_client, craft(alices_backup, change))
    assert job.status == "failed"
    assert message in job.error, job.error
    assert not Entry.objects.filter(owner=alice).exists()
    assert not Packet.objects.filter(owner=alice).exists()


def test_restoring_a_revision_that_names_another_clinicians_prompt_is_refused(
    alice_client: Client, alice: User, bobs: dict[str, Any]
) -> None:
    entry = Entry.objects.create(owner=alice, body="Now")
    for ref in (bobs["prompt"].pk, {"own": str(bobs["prompt"].uid)}):
        revision = EntryRevision.objects.create(
            entry=entry, version=1, snapshot={"answers": [{"prompt": ref, "text": "x"}]}
        )
        r = alice_client.post(f"/entries/{entry.pk}/history/{revision.pk}/restore/", follow=True)
        assert "cannot be restored" in r.content.decode()
        entry.refresh_from_db()
        assert entry.version == 1 and entry.body == "Now"
        assert not entry.answers.exists()
        assert SECRET not in alice_client.get(f"/entries/{entry.pk}/").content.decode()


def test_restoring_a_repair_revision_linked_to_another_clinicians_entry_is_refused(
    alice_client: Client, alice: User, bobs: dict[str, Any]
) -> None:
    repair = RepairNote.objects.create(owner=alice, my_part="Now")
    revision = RepairRevision.objects.create(
        repair=repair, version=1, snapshot={"entry": str(bobs["entry"].uid), "my_part": "Old"}
    )
    r = alice_client.post(f"/repairs/{repair.pk}/history/{revision.pk}/restore/", follow=True)
    assert "cannot be restored" in r.content.decode()
    repair.refresh_from_db()
    assert repair.entry is None and repair.my_part == "Now"


def test_a_field_added_since_the_file_was_made_takes_its_default(
    alice_client: Client, alice: User, alices_backup: dict[str, Any]
) -> None:
    def older(doc: dict[str, Any]) -> None:
        del doc["packets"][0]["mask_identifiers"]
        del doc["entries"][0]["feelings"]

    job = run_import(alice_client, craft(alices_backup, older))
    assert job.status == "done", job.error
    assert Packet.objects.get(owner=alice).mask_identifiers is True
    assert Entry.objects.get(owner=alice).feelings == ""


def test_a_field_that_cannot_be_left_out_is_named(
    alice_client: Client, alice: User, alices_backup: dict[str, Any]
) -> None:
    def no_text(doc: dict[str, Any]) -> None:
        doc["own_prompts"].append({"uid": "3f2f1c1e-7a55-4c52-9b3e-5d7d5f0e9a11",
                                   "category": "growth"})  # fmt: skip

    job = run_import(alice_client, craft(alices_backup, no_text))
    assert job.status == "failed"
    assert job.error.startswith("own_prompts[0].text: is missing")
