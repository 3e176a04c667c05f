from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from journal.backup import backup_stream
from journal.demo import seed_demo
from journal.models import (
    Commitment,
    Entry,
    EntryAddendum,
    EntryRevision,
    ImportJob,
    Packet,
    RepairFollowUp,
    RepairNote,
    SupervisionSession,
)
from reflect.models import IdentityMapVersion, Prompt, PromptPreference, User
from tests.conftest import PASSWORD, signed_in

pytestmark = pytest.mark.django_db


def backup_of(user: User) -> dict[str, Any]:
    return json.loads("".join(backup_stream(user)))


def strip(doc: Any) -> Any:
    """The document without what must differ between accounts: ids, times, the account."""
    if isinstance(doc, dict):
        return {
            k: strip(v)
            for k, v in doc.items()
            if k not in {"account", "exported_at"} and not k.endswith("_at")
        }
    if isinstance(doc, list):
        return [strip(v) for v in doc]
    return doc


@pytest.fixture
def varied(alice: User, builtin: None) -> User:
    seed_demo(email=alice.email, entries=40, seed=3)
    alice.set_password(PASSWORD)
    alice.save()
    entry = Entry.objects.for_user(alice).first()
    EntryAddendum.objects.create(entry=entry, text="Later, I saw it differently.")
    EntryRevision.objects.create(entry=entry, version=1, snapshot={"body": "older"})
    repair = RepairNote.objects.for_user(alice).first()
    RepairFollowUp.objects.create(repair=repair, note="Checked in.", new_status="repaired")
    Commitment.objects.create(owner=alice, repair=repair, text="Ask first.")
    own = Prompt.objects.create(owner=alice, text="My own question?", category="growth")
    PromptPreference.objects.create(owner=alice, prompt=own, pinned=True)
    IdentityMapVersion.objects.create(
        owner=alice,
        data={
            "domains": {"age": {"position": "mixed"}},
            "other_identities": "",
            "professional_culture": "",
        },
    )
    packet = Packet.objects.create(owner=alice, title="For March", focal_moments="Silence")
    packet.entries.add(entry)
    packet.repairs.add(repair)
    other = Packet.objects.create(owner=alice, title="For April")
    discussed = SupervisionSession.objects.create(
        owner=alice, date=date(2026, 3, 3), minutes=90, modality="individual",
        supervisor_name="Jordan Reyes", topics="Rupture and repair\nThen: my reactions",
    )  # fmt: skip
    discussed.packets.add(packet, other)
    SupervisionSession.objects.create(
        owner=alice,
        date=date(2026, 3, 17),
        minutes=120,
        modality="group",
        supervisor_name="Sam Lee",
    )
    SupervisionSession.objects.create(
        owner=alice, date=date(2026, 2, 1), minutes=45, modality="live",
        supervisor_name="Sam Lee", deleted_at=timezone.now(),
    )  # fmt: skip
    return alice


def test_round_trip_into_a_fresh_account(varied: User, charlie: User) -> None:
    first = backup_of(varied)
    assert first["format"] == "reflect-backup" and first["version"] == 2
    assert len(first["entries"]) == 40
    raw = json.dumps(first)
    call_command("import_user", "--email", charlie.email, _path(raw), stdout=StringIO())
    second = backup_of(charlie)
    assert strip(second) == strip(first)


def test_supervision_sessions_round_trip_with_their_packets_and_trash(
    varied: User, charlie: User
) -> None:
    first = backup_of(varied)
    sessions = sorted(first["supervision_sessions"], key=lambda s: s["date"])
    packets = {p["title"]: p["uid"] for p in first["packets"]}
    assert [{k: v for k, v in s.items() if k not in {"uid", "created_at", "updated_at"}}
            for s in sessions] == [
        {"date": "2026-02-01", "minutes": 45, "modality": "live", "supervisor_name": "Sam Lee",
         "topics": "", "packets": [], "deleted_at": sessions[0]["deleted_at"]},
        {"date": "2026-03-03", "minutes": 90, "modality": "individual",
         "supervisor_name": "Jordan Reyes", "topics": "Rupture and repair\nThen: my reactions",
         "packets": sorted([packets["For March"], packets["For April"]]), "deleted_at": None},
        {"date": "2026-03-17", "minutes": 120, "modality": "group", "supervisor_name": "Sam Lee",
         "topics": "", "packets": [], "deleted_at": None},
    ]  # fmt: skip
    assert sessions[0]["deleted_at"] is not None
    call_command("import_user", "--email", charlie.email, _path(json.dumps(first)),
                 stdout=StringIO())  # fmt: skip
    theirs = SupervisionSession.objects.for_user(varied).order_by("uid")
    mine = SupervisionSession.objects.for_user(charlie).order_by("uid")
    fields = ("uid", "date", "minutes", "modality", "supervisor_name", "topics", "created_at",
              "updated_at", "deleted_at")  # fmt: skip
    assert list(mine.values_list(*fields)) == list(theirs.values_list(*fields))
    discussed = mine.get(date=date(2026, 3, 3))
    # The packets discussed are charlie's own copies, never alice's.
    assert {p.owner_id for p in discussed.packets.all()} == {charlie.pk}
    assert sorted(p.title for p in discussed.packets.all()) == ["For April", "For March"]
    assert mine.filter(deleted_at__isnull=False).count() == 1  # still in the trash


def _path(raw: str) -> str:
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        handle.write(raw)
    return handle.name


def import_file(client: Client, content: bytes) -> Any:
    """Upload a file on the import page; returns the response and the import's job."""
    r = client.post("/export/import/", {"file": SimpleUploadedFile("b.json", content)})
    return r, ImportJob.objects.order_by("-pk").first()


def test_importing_twice_adds_nothing_twice(varied: User, charlie: User) -> None:
    raw = "".join(backup_stream(varied)).encode()
    client = signed_in(charlie)
    r, job = import_file(client, raw)
    assert r.status_code == 302 and r["Location"] == f"/export/import/{job.pk}/"
    assert job.status == "done" and job.added["entries"] == 40 and job.total > 40
    assert job.added["supervision sessions"] == 3
    page = client.get(r["Location"]).content.decode()
    assert "Backup restored" in page and "40 entries" in page and "2 repair notes" in page
    assert "3 supervision sessions" in page
    assert job.content is None  # the upload is not kept
    r, again = import_file(client, raw)
    assert again.status == "done"
    assert sum(again.added.values()) == 0
    assert Entry.objects.for_user(charlie).count() == 40
    assert Packet.objects.for_user(charlie).count() == 2
    assert SupervisionSession.objects.for_user(charlie).count() == 3
    assert IdentityMapVersion.objects.for_user(charlie).count() == 1
    assert Prompt.objects.filter(owner=charlie).count() == 1


def test_the_old_import_address_leads_to_the_new_one(alice_client: Client) -> None:
    r = alice_client.get("/import/")
    assert r.status_code == 301 and r["Location"] == "/export/import/"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "reflect-backup", "version": 2, "entries": [', "cut short"),
        (b'{"format": "reflect-backup", "version": 99}', "version 99"),
        (b'{"hello": "world"}', "not a Reflect backup"),
        (b"\x89PNG\r\n", "cut short"),
        (b"not json at all", "cut short"),
        (b"[" * 10_000 + b"]" * 10_000, "nested more than"),
        (b'{"a": ' * 10_000 + b"1" + b"}" * 10_000, "nested more than"),
        (
            b'{"format": "reflect-backup", "version": 2, "own_prompts": [], "entries": [{}]}',
            "entries[0].uid: must be a uid",
        ),
    ],
)
def test_a_bad_file_is_explained_and_changes_nothing(
    alice_client: Client, alice: User, content: bytes, message: str
) -> None:
    before = Entry.objects.count()
    r, job = import_file(alice_client, content)
    assert r.status_code == 302
    assert job.status == "failed"
    assert message in job.error
    page = alice_client.get(r["Location"]).content.decode()
    assert "Nothing was imported." in page
    assert Entry.objects.count() == before


def _session_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "uid": "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
        "date": "2026-03-03",
        "minutes": 60,
        "modality": "individual",
        "supervisor_name": "Jordan Reyes",
        "topics": "",
        "packets": [],
        "created_at": "2026-03-03T10:00:00+00:00",
        "updated_at": "2026-03-03T10:00:00+00:00",
        "deleted_at": None,
    }
    row.update(changes)
    return row


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minutes": 4}, "minutes: Ensure this value is greater than or equal to 5."),
        ({"minutes": 601}, "minutes: Ensure this value is less than or equal to 600."),
        ({"minutes": 10**6}, "minutes: Ensure this value is less than or equal to 600."),
        ({"minutes": "90"}, "minutes: must be a whole number"),
        ({"minutes": 90.5}, "minutes: must be a whole number"),
        ({"minutes": True}, "minutes: must be a whole number"),
        ({"minutes": None}, "minutes: must be a whole number"),
        ({"modality": "phone"}, "modality: 'phone' is not one of the choices"),
        ({"modality": 1}, "modality: must be text"),
        ({"supervisor_name": "x" * 151}, "supervisor_name: is longer than 150 characters"),
        ({"supervisor_name": "  "}, "supervisor_name: This field is required."),
        ({"topics": "x" * 2001}, "topics: is longer than 2000 characters"),
        ({"date": "14/03/2026"}, "date: must be a date written as YYYY-MM-DD"),
        ({"date": "2026-02-30"}, "date: must be a date"),
        ({"date": None}, "date: must be a date"),
        ({"uid": "not a uid"}, "uid: must be a uid"),
        ({"packets": "For March"}, "packets: must be a list"),
        ({"packets": ["3f2f1c1e-7a55-4c52-9b3e-5d7d5f0e9a11"]}, "packets[0]: names something"),
        ({"packets": [1]}, "packets[0]: names something"),
        ({"created_at": "yesterday"}, "created_at: must be a date and time"),
        ({"deleted_at": 5}, "deleted_at: must be a date and time"),
    ],
)
def test_a_session_its_form_would_refuse_is_refused_with_its_place(
    varied: User, charlie: User, changes: dict[str, Any], message: str
) -> None:
    doc = backup_of(varied)
    doc["supervision_sessions"].append(_session_row(**changes))
    _, job = import_file(signed_in(charlie), json.dumps(doc).encode())
    assert job.status == "failed"
    assert job.error.startswith(f"supervision_sessions[3].{message}"), job.error
    assert not SupervisionSession.objects.for_user(charlie).exists()
    assert not Entry.objects.for_user(charlie).exists()


@pytest.mark.parametrize("name", ["date", "minutes", "created_at"])
def test_a_session_without_a_value_it_needs_is_refused(charlie: User, name: str) -> None:
    row = _session_row()
    del row[name]
    doc = {"format": "reflect-backup", "version": 2, "supervision_sessions": [row]}
    _, job = import_file(signed_in(charlie), json.dumps(doc).encode())
    assert job.status == "failed"
    assert job.error.startswith(f"supervision_sessions[0].{name}: "), job.error


def test_a_session_is_stored_as_its_form_would_store_it(charlie: User) -> None:
    row = _session_row(supervisor_name="  Jordan Reyes ", topics=" Ruptures \n")
    doc = {"format": "reflect-backup", "version": 2, "supervision_sessions": [row, row]}
    _, job = import_file(signed_in(charlie), json.dumps(doc).encode())
    assert job.status == "done", job.error
    assert job.added["supervision sessions"] == 1  # the same uid twice is one session
    session = SupervisionSession.objects.get(owner=charlie)
    assert (session.supervisor_name, session.topics) == ("Jordan Reyes", "Ruptures")


def test_a_damaged_file_rolls_back_what_it_had_added(varied: User, charlie: User) -> None:
    doc = backup_of(varied)
    doc["packets"][0]["period_start"] = "not a date"  # fails after entries were added
    _, job = import_file(signed_in(charlie), json.dumps(doc).encode())
    assert job.status == "failed"
    assert job.error.startswith("packets[0].period_start: must be a date")
    assert Entry.objects.for_user(charlie).count() == 0
    assert Prompt.objects.filter(owner=charlie).count() == 0


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    settings: Any, alice_client: Client
) -> None:
    settings.IMPORT_MAX_BYTES = 1000
    r = alice_client.post("/export/import/", {"file": SimpleUploadedFile("b.json", b" " * 1001)})
    assert r.status_code == 400
    assert "the largest backup Reflect takes is 1000" in r.content.decode().replace("\xa0", " ")
    assert not ImportJob.objects.exists()


def test_the_backup_download_streams_and_is_not_cached(varied: User) -> None:
    alice_client = signed_in(varied)
    r = alice_client.post("/export/backup/")
    assert r.status_code == 200
    assert r.streaming
    assert "no-store" in r["Cache-Control"]
    assert r["Content-Disposition"].startswith('attachment; filename="reflect-backup-')
    doc = json.loads(b"".join(r.streaming_content))
    assert len(doc["entries"]) == 40
    assert alice_client.get("/export/packets/").content.decode().count("Full backup") >= 1


def test_export_user_writes_a_file(varied: User, tmp_path: Path) -> None:
    out = tmp_path / "b.json"
    call_command("export_user", "--email", varied.email, "-o", str(out), stderr=StringIO())
    assert json.loads(out.read_text())["entries"]


def test_deleting_my_account_needs_my_password_and_removes_everything(
    varied: User, bob: User
) -> None:
    alice_client = signed_in(varied)
    Entry.objects.create(owner=bob, body="Bob's stays")
    page = alice_client.get("/accounts/delete/").content.decode()
    assert "Download a full backup" in page
    r = alice_client.post("/accounts/delete/", {"password": "wrong"})
    assert r.status_code == 200
    assert User.objects.filter(pk=varied.pk).exists()
    r = alice_client.post("/accounts/delete/", {"password": PASSWORD})
    assert r.status_code == 302
    assert not User.objects.filter(pk=varied.pk).exists()
    assert not Entry.objects.filter(owner_id=varied.pk).exists()
    assert not RepairNote.objects.filter(owner_id=varied.pk).exists()
    assert not Packet.objects.filter(owner_id=varied.pk).exists()
    assert Entry.objects.filter(owner=bob).count() == 1


def test_restore_needs_login_and_csrf(alice: User) -> None:
    assert Client().get("/export/import/").status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    upload = SimpleUploadedFile("b.json", b"{}")
    assert strict.post("/export/import/", {"file": upload}).status_code == 403
    assert strict.post("/accounts/delete/", {"password": PASSWORD}).status_code == 403


def test_times_survive_the_round_trip(varied: User, charlie: User) -> None:
    raw = "".join(backup_stream(varied))
    call_command("import_user", "--email", charlie.email, _path(raw), stdout=StringIO())
    theirs = Entry.objects.for_user(varied).order_by("uid").values_list("uid", "created_at")
    mine = Entry.objects.for_user(charlie).order_by("uid").values_list("uid", "created_at")
    assert list(theirs) == list(mine)
    assert timezone.is_aware(mine[0][1])
